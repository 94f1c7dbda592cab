"""Thin views over the content service: pages, forms, short links, error pages."""

import datetime as dt
import math

import deform
from pyramid.csrf import get_csrf_token
from pyramid.exceptions import BadCSRFOrigin, BadCSRFToken
from pyramid.httpexceptions import (
    HTTPForbidden,
    HTTPFound,
    HTTPMovedPermanently,
    HTTPNotFound,
    HTTPSeeOther,
)
from pyramid.renderers import get_renderer
from pyramid.view import forbidden_view_config, notfound_view_config, view_config

from bassin_cms.forms import handle_form_submission, make_form
from bassin_cms.i18n import _, flash
from bassin_cms.params import page_param

from .models import Folder, Node, Resource
from .registry import addable_types, content_types, type_of
from .schemas import MoveSchema, RenameSchema, folder_appstruct, resource_appstruct
from .services import ContentError
from .text import citation

PAGE_SIZE = 50

SAVE = deform.Button("save", _("Enregistrer"))


def _page(request):
    return page_param(request.params.get("page"))


@view_config(context=Folder, renderer="folder.pt", permission="view")
@view_config(context=Folder, name="contenu", renderer="folder.pt", permission="view")
def folder_view(context, request):
    page = _page(request)
    visible = request.content_service.visible_children(context, lambda node: request.has_permission("view", node))
    total = len(visible)
    items = visible[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return {
        "folder": context,
        "items": items,
        "total": total,
        "page": page,
        "pages": max(1, math.ceil(total / PAGE_SIZE)),
        "addable": addable_types(request, context),
        "thumbnails": request.file_service.thumbnails_for([i for i in items if request.has_permission("view_full", i)]),
        "can_view_full": request.has_permission("view_full", context),
        "may_delete": context.parent is not None and request.may_delete(context),
    }


@view_config(context=Resource, renderer="resource.pt", permission="view", conditional=True)
def resource_view(context, request):
    request.count_hit(context, "view")
    can_view_full = request.has_permission("view_full", context)
    files = request.file_service.files_of(context) if can_view_full else []
    files = request.file_service.listed(files)
    workflow = request.workflow
    return {
        "resource": context,
        "type_info": type_of(request.registry, context),
        "files": files,
        "thumbnail": next((f for f in files if f.blob.has_thumbnail), None),
        "creator_name": request.user_service.display_names([context.creator_id]).get(context.creator_id),
        "can_view_full": can_view_full,
        "restricted": context.restricted or any(n.restricted for n in context.lineage()),
        "status": request.public_status(context),
        "state_label": workflow.state_label(context.state),
        "transitions": workflow.available(context),
        "history": workflow.history(context) if request.has_permission("view_history", context) else [],
        "json_ld": request.public_catalogue.json_ld(context, files),
        "citation": citation(
            context, request.route_url("shortlink", shortid=context.shortid, rest=()), dt.date.today()
        ),
        "related": request.content_service.related(context, request.visible_clause("view")),
        # A kind with content of its own (an index's table, a guide's chapters)
        # adds a macro of its template and the names it uses.
        "kind_macro": None,
    }


def kind_macro(template, macro="content"):
    """A macro of a kind's template, for resource.pt's kind_macro slot."""
    return get_renderer(template).implementation().macros[macro]


def _save_files(request, node, appstruct, form):
    for key, role in (("main_file", "main"), ("attachment", "attachment")):
        upload = appstruct.get(key)
        if upload:
            request.file_service.attach(node, upload["fp"], upload["filename"], role=role)
            form[key].widget.tmpstore.discard(upload.get("uid"))


def _form_page(request, title, form_html, context, cancel_url=None, intro=None):
    return {
        "page_title": title,
        "form": form_html,
        "context": context,
        "cancel_url": cancel_url or request.resource_url(context),
        "intro": intro,
    }


@view_config(context=Folder, name="add", permission="add", renderer="form.pt")
def add_view(context, request):
    type_name = request.subpath[0] if request.subpath else None
    content_type = content_types(request.registry).get(type_name)
    if content_type is None or context.type not in content_type.addable_to:
        raise HTTPNotFound()
    if not request.has_permission(content_type.add_permission, context):
        raise HTTPForbidden()
    form = make_form(request, content_type.schema(request, None), buttons=(SAVE,))

    def save(appstruct):
        node = request.content_service.create(
            context, content_type.cls, title=appstruct["title"], creator_id=request.user.id if request.user else None
        )
        _apply(request, content_type, node, appstruct, form)  # refused: nothing half-created is committed
        flash(request, _("« ${title} » a été créé.", mapping={"title": node.title}), "success")
        return HTTPSeeOther(request.resource_url(node))

    if "save" in request.POST:
        response, html = handle_form_submission(request, form, save)
        if response is not None:
            return response
    else:
        html = form.render()
    return _form_page(
        request,
        _("Ajouter : ${kind}", mapping={"kind": content_type.title}),
        html,
        context,
        intro=content_type.description or None,
    )


def _apply(request, content_type, node, appstruct, form):
    if content_type.is_resource:
        request.content_service.apply_metadata(node, appstruct)
        _save_files(request, node, appstruct, form)
    else:
        request.content_service.apply_folder(node, appstruct)
    if content_type.apply is not None:
        content_type.apply(request, node, appstruct)
    request.workflow.set_diffusion(node, appstruct)


class EditConflict(ContentError):
    status = 409

    def __init__(self):
        super().__init__(
            _(
                "Quelqu'un a modifié cette ressource pendant que vous la modifiiez. Vos saisies sont "
                "conservées ci-dessous : vérifiez les changements listés puis enregistrez à nouveau."
            )
        )


@view_config(context=Node, name="edit", permission="edit", renderer="form.pt")
def edit_view(context, request):
    content_type = type_of(request.registry, context)
    if content_type is None:
        raise HTTPNotFound()
    form = make_form(request, content_type.schema(request, context), buttons=(SAVE,))
    conflict = None

    def save(appstruct):
        nonlocal conflict
        if appstruct.get("version") not in (None, context.version):
            # Someone saved since this form was opened: show what they changed, keep
            # what was typed, and let a second save (now on the new version) decide.
            conflict = request.workflow.changes_since(context, appstruct["version"])
            appstruct["version"] = context.version
            raise EditConflict()
        _apply(request, content_type, context, appstruct, form)
        flash(request, _("Modifications enregistrées."), "success")
        return HTTPSeeOther(request.resource_url(context))

    if "save" in request.POST:
        response, html = handle_form_submission(request, form, save)
        if response is not None:
            return response
    else:
        appstruct = resource_appstruct(context) if content_type.is_resource else folder_appstruct(context)
        if content_type.appstruct is not None:
            appstruct.update(content_type.appstruct(request, context))
        html = form.render(appstruct)
    files = request.file_service.files_of(context) if content_type.is_resource else []
    page = _form_page(request, _("Modifier « ${title} »", mapping={"title": context.title}), html, context)
    page["files"] = files
    page["conflict"] = conflict
    return page


@view_config(context=Resource, name="remove-file", permission="edit", request_method="POST")
def remove_file_view(context, request):
    attached = request.file_service.get(context, request.POST.get("file_id"))
    if attached is None:
        raise HTTPNotFound()
    request.file_service.remove(attached)
    flash(request, _("Le fichier « ${name} » a été retiré.", mapping={"name": attached.filename}), "success")
    return HTTPSeeOther(request.resource_url(context, "@@edit"))


@view_config(context=Node, name="delete", permission="delete", renderer="delete.pt")
def delete_view(context, request):
    if context.parent is None or not request.may_delete(context):
        raise HTTPForbidden()
    service = request.content_service
    below = service.descendants(context) if isinstance(context, Folder) else []
    # Each node below is asked, as if it were deleted alone.
    refused = [node for node in below if not request.may_delete(node)]
    if request.method == "POST" and "delete" in request.POST and not refused:
        title = context.title
        parent = service.delete(context, may_delete=request.may_delete)
        flash(request, _("« ${title} » a été supprimé.", mapping={"title": title}), "success")
        return HTTPSeeOther(request.resource_url(parent))
    if refused:
        request.response.status = 403 if request.method == "POST" else 200
    return {
        "context": context,
        "children_count": len(below),
        "refused": refused[:20],
        "refused_count": len(refused),
        "csrf_token": get_csrf_token(request),
    }


@view_config(context=Node, name="rename", permission="edit", renderer="form.pt")
def rename_view(context, request):
    if context.parent is None:
        raise HTTPForbidden()
    form = make_form(request, RenameSchema(), buttons=(SAVE,))

    def save(appstruct):
        request.content_service.rename(context, appstruct["name"])
        context.title = appstruct["title"].strip()
        flash(request, _("Renommé : l'ancienne adresse redirige vers la nouvelle."), "success")
        return HTTPSeeOther(request.resource_url(context))

    if "save" in request.POST:
        response, html = handle_form_submission(request, form, save, field_name="name")
        if response is not None:
            return response
    else:
        html = form.render({"name": context.name, "title": context.title})
    return _form_page(request, _("Renommer « ${title} »", mapping={"title": context.title}), html, context)


@view_config(context=Node, name="move", permission="edit", renderer="form.pt")
def move_view(context, request):
    if context.parent is None:
        raise HTTPForbidden()
    form = make_form(request, MoveSchema(), buttons=(deform.Button("save", _("Déplacer")),))

    def save(appstruct):
        target = request.content_service.get(appstruct["target"])
        if target is None:
            raise ContentError(_("Ce dossier n'existe plus."))
        if not request.has_permission("add", target):
            raise ContentError(_("Vous ne pouvez pas ajouter de contenu dans ce dossier."))
        request.content_service.move(context, target)
        flash(request, _("Déplacé : l'ancienne adresse redirige vers la nouvelle."), "success")
        return HTTPSeeOther(request.resource_url(context))

    if "save" in request.POST:
        response, html = handle_form_submission(request, form, save, field_name="target")
        if response is not None:
            return response
    else:
        html = form.render({"target": context.parent_id})
    return _form_page(request, _("Déplacer « ${title} »", mapping={"title": context.title}), html, context)


@view_config(route_name="shortlink")
def shortlink_view(request):
    service = request.content_service
    shortid = request.matchdict["shortid"]
    node = service.by_shortid(shortid) or service.by_legacy_id(shortid)
    if node is None:
        raise HTTPNotFound()
    if not request.has_permission("view", node):
        raise HTTPForbidden()
    rest = "/".join(request.matchdict.get("rest") or ())
    url = request.resource_url(node) + rest
    if request.query_string:
        url += "?" + request.query_string
    # 302, not 301: the target moves when the resource does; the /r/ link doesn't.
    return HTTPFound(location=url)


@notfound_view_config(renderer="404.pt")
def notfound_view(request):
    if request.method in ("GET", "HEAD"):
        node, rest = request.content_service.find_redirect(request.path_info)
        # Only those who may open the target learn where it went (a renamed
        # draft's new address is not the public's).
        if node is not None and request.has_permission("view", node):
            url = request.resource_url(node).rstrip("/") + (rest or "")
            if not rest:
                url += "/"
            if request.query_string:
                url += "?" + request.query_string
            return HTTPMovedPermanently(location=url)
    request.response.status = 404
    return {}


@forbidden_view_config(renderer="403.pt")
def forbidden_view(request):
    if request.user is None:
        return HTTPSeeOther(request.route_url("login", _query={"came_from": request.url}))
    request.response.status = 403
    return {}


@view_config(context=BadCSRFOrigin, renderer="400.pt")
def bad_origin_view(request):
    request.response.status = 400
    return {
        "message": _(
            "Cette action n'a pas été faite : elle doit être envoyée depuis une page du centre de ressources. "
            "Revenez à la page, rechargez-la et cliquez à nouveau."
        )
    }


@view_config(context=BadCSRFToken, renderer="400.pt")
def bad_csrf_view(request):
    request.response.status = 400
    return {
        "message": _(
            "La page a expiré (jeton de sécurité absent ou périmé). "
            "Revenez en arrière, rechargez la page et envoyez à nouveau le formulaire."
        )
    }
