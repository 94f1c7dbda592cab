"""Administration of users, groups and local roles (the Sharing view)."""

import colander
import deform
from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config

from bassin_cms.content.models import Folder
from bassin_cms.forms import Checkboxes, CSRFSchema, handle_form_submission, make_form
from bassin_cms.i18n import _, flash
from bassin_cms.names import Role
from bassin_cms.params import id_param

from .services import LOCAL_ROLES, ROLE_LABELS, SITE_ROLES, UserError

ROLE_CHOICES = [(r, ROLE_LABELS[r]) for r in SITE_ROLES]


@colander.deferred
def _groups_widget(node, kw):
    groups = kw["request"].group_service.all()
    return Checkboxes(values=[(str(g.id), g.display_name) for g in groups])


class UserSchema(CSRFSchema):
    email = colander.SchemaNode(colander.String(), title=_("Adresse e-mail"), validator=colander.Email())
    name = colander.SchemaNode(colander.String(), title=_("Nom affiché"), missing="")
    role = colander.SchemaNode(
        colander.String(),
        title=_("Rôle sur tout le site"),
        widget=deform.widget.SelectWidget(values=ROLE_CHOICES),
        validator=colander.OneOf(SITE_ROLES),
        description=_("Un rôle limité à un dossier se donne dans l'onglet « Partage » de ce dossier."),
    )
    role_ends = colander.SchemaNode(
        colander.Date(),
        title=_("Rôle jusqu'au"),
        missing=None,
        description=_("Dernier jour du rôle (l'accès d'un journaliste, par exemple) ; vide : sans fin."),
    )
    active = colander.SchemaNode(colander.Boolean(), title=_("Compte actif"), missing=False, default=True)
    groups = colander.SchemaNode(
        colander.Set(),
        title=_("Groupes"),
        missing=(),
        widget=_groups_widget,
        preparer=lambda values: {int(v) for v in values if str(v).isascii() and str(v).isdigit()} if values else set(),
    )
    password = colander.SchemaNode(
        colander.String(),
        title=_("Nouveau mot de passe"),
        missing="",
        widget=deform.widget.CheckedPasswordWidget(),
        description=_("Au moins 10 caractères. Laisser vide pour ne pas le changer."),
    )


@view_config(route_name="admin_users", renderer="admin/users.pt", permission="manage")
def users_view(request):
    return {"users": request.user_service.all(), "labels": ROLE_LABELS}


def _user_form(request, user=None):
    # clone(): the class's child nodes are shared between instances.
    schema = UserSchema().clone()
    if user is None:
        schema["password"].missing = colander.required
        schema["password"].description = _("Au moins 10 caractères.")
    form = make_form(request, schema, buttons=(deform.Button("save", _("Enregistrer")),), formid="user")

    def save(appstruct):
        service, account = request.user_service, user
        if account is None:
            account = service.create(appstruct["email"], appstruct["password"], appstruct["role"], appstruct["name"])
        else:
            other = service.by_email(appstruct["email"])
            if other is not None and other.id != account.id:
                raise UserError(_("Un compte existe déjà pour ${email}", mapping={"email": appstruct["email"]}))
            if account.id == request.user.id and appstruct["role"] != Role.ADMINISTRATOR:
                raise UserError(_("Vous ne pouvez pas retirer votre propre rôle d'administrateur."))
            account.email, account.name, account.role = (
                appstruct["email"].strip().lower(),
                appstruct["name"],
                appstruct["role"],
            )
            if account.id == request.user.id and appstruct["role_ends"] is not None:
                raise UserError(_("Vous ne pouvez pas donner de fin à votre propre rôle d'administrateur."))
            if appstruct["password"]:
                service.set_password(account, appstruct["password"])
        account.role_ends = appstruct["role_ends"]
        account.active = appstruct["active"]
        request.group_service.set_groups(account, appstruct["groups"])
        flash(request, _("Compte ${email} enregistré.", mapping={"email": account.email}), "success")
        return HTTPSeeOther(request.route_url("admin_users"))

    if "save" in request.POST:
        response, html = handle_form_submission(request, form, save)
        if response is not None:
            return response
    elif user is not None:
        html = form.render(
            {
                "email": user.email,
                "name": user.name,
                "role": user.role,
                "role_ends": user.role_ends or colander.null,
                "active": user.active,
                "groups": set(request.group_service.group_ids_of(user.id)),
            }
        )
    else:
        html = form.render({"role": "editor", "active": True})
    return {
        "page_title": _("Compte ${email}", mapping={"email": user.email}) if user else _("Nouveau compte"),
        "form": html,
        "context": None,
        "cancel_url": request.route_url("admin_users"),
        "intro": None,
    }


@view_config(route_name="admin_user_add", renderer="form.pt", permission="manage")
def user_add_view(request):
    return _user_form(request)


@view_config(route_name="admin_user", renderer="form.pt", permission="manage")
def user_edit_view(request):
    user = request.user_service.get(id_param(request.matchdict["user_id"]))
    if user is None:
        raise HTTPNotFound()
    return _user_form(request, user)


class GroupSchema(CSRFSchema):
    name = colander.SchemaNode(
        colander.String(),
        title=_("Nom court"),
        validator=colander.Length(1, 100),
        description=_("Ex. : ddtm-62, udap-nord, enseignants-relais."),
    )
    title = colander.SchemaNode(colander.String(), title=_("Intitulé"), missing="")


@view_config(route_name="admin_groups", renderer="admin/groups.pt", permission="manage")
def groups_view(request):
    service = request.group_service
    form = make_form(request, GroupSchema(), buttons=(deform.Button("save", _("Créer le groupe")),), formid="group")

    def save(appstruct):
        service.create(appstruct["name"], appstruct["title"])
        flash(request, _("Groupe créé."), "success")
        return HTTPSeeOther(request.route_url("admin_groups"))

    if "save" in request.POST:
        response, html = handle_form_submission(request, form, save, field_name="name")
        if response is not None:
            return response
    else:
        html = form.render()
    return {"groups": [(g, service.members(g)) for g in service.all()], "form": html}


@colander.deferred
def _principal_widget(node, kw):
    request = kw["request"]
    users = [(f"user:{u.id}", f"{u.display_name} <{u.email}>") for u in request.user_service.all() if u.active]
    groups = [
        (f"group:{g.id}", _("Groupe : ${name}", mapping={"name": g.display_name})) for g in request.group_service.all()
    ]
    return deform.widget.SelectWidget(values=[("", _("— choisir —"))] + groups + users)


class ShareSchema(CSRFSchema):
    principal = colander.SchemaNode(colander.String(), title=_("Personne ou groupe"), widget=_principal_widget)
    role = colander.SchemaNode(
        colander.String(),
        title=_("Rôle dans ce dossier"),
        widget=deform.widget.SelectWidget(values=[(r, ROLE_LABELS[r]) for r in LOCAL_ROLES]),
        validator=colander.OneOf(LOCAL_ROLES),
    )


def principal_names(request, principals):
    users = {f"user:{u.id}": u.display_name for u in request.user_service.all()}
    groups = {
        f"group:{g.id}": _("Groupe : ${name}", mapping={"name": g.display_name}) for g in request.group_service.all()
    }
    return {p: users.get(p) or groups.get(p) or p for p in principals}


@view_config(context=Folder, name="sharing", permission="manage", renderer="sharing.pt")
def sharing_view(context, request):
    service = request.local_role_service
    form = make_form(request, ShareSchema(), buttons=(deform.Button("grant", _("Donner ce rôle")),), formid="share")
    if "revoke" in request.POST:
        revoke = id_param(request.POST["revoke"])
        revoked = service.revoke(revoke, context.id) if revoke is not None else None
        if revoked is None:
            raise HTTPNotFound()
        flash(request, _("Rôle retiré."), "success")
        return HTTPSeeOther(request.resource_url(context, "@@sharing"))

    def grant(appstruct):
        service.grant(context.id, appstruct["principal"], appstruct["role"])
        flash(request, _("Rôle donné : il vaut pour ce dossier et tout ce qu'il contient."), "success")
        return HTTPSeeOther(request.resource_url(context, "@@sharing"))

    if "grant" in request.POST:
        response, html = handle_form_submission(request, form, grant, field_name="principal")
        if response is not None:
            return response
    else:
        html = form.render()
    here = service.on(context.id)
    inherited = [(node, service.on(node.id)) for node in list(context.lineage())[1:]]
    names = principal_names(request, [r.principal for r in here] + [r.principal for _n, rs in inherited for r in rs])
    return {
        "context": context,
        "form": html,
        "here": here,
        "inherited": [(n, rs) for n, rs in inherited if rs],
        "names": names,
        "labels": ROLE_LABELS,
    }
