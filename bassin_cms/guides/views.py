"""The guide page (always the current edition), earlier editions with their
banner, the edition forms, the printable guide, the contacts and the list of
cited resources to check."""

import deform
from pyramid.httpexceptions import HTTPFound, HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config

from bassin_cms.content.text import format_partial_date, slugify
from bassin_cms.content.views import kind_macro, resource_view
from bassin_cms.forms import fail, handle_form_submission, make_form
from bassin_cms.i18n import _, flash
from bassin_cms.names import Permission
from bassin_cms.params import id_param
from bassin_cms.pdf.booklet import booklet
from bassin_cms.pdf.views import cached_pdf
from bassin_cms.workflow.security import visible_to_public

from .models import GuideResource
from .schemas import ContactSchema, EditionSchema


def _guide_page(context, request, edition):
    page = resource_view(context, request)
    service = request.guide_service
    current = context.current_edition()
    can_edit = request.has_permission("edit", context)
    # resource_view lists the guide's own files (main, attachments); an
    # edition's files have the role "edition" and come first here.
    files = page["files"]  # empty when the visitor may not see the files
    if edition is not None and page["can_view_full"]:
        files = list(edition.files) + files
    page.update(
        kind_macro=kind_macro("guide_content.pt"),
        guide=context,
        edition=edition,
        current=current,
        files=files,
        thumbnail=next((f for f in files if f.blob.has_thumbnail), None),
        # Visitors see only the cited resources they may open; editors see
        # every link, the broken ones flagged.
        links=[
            link for link in context.links if link.target is not None and request.has_permission("view", link.target)
        ],
        link_problems=service.link_problems(context) if can_edit else [],
    )
    return page


@view_config(context=GuideResource, renderer="resource.pt", permission="view", conditional=True)
def guide_view(context, request):
    return _guide_page(context, request, context.current_edition())


@view_config(context=GuideResource, name="edition", renderer="resource.pt", permission="view")
def edition_view(context, request):
    edition = context.edition(request.subpath[0]) if request.subpath else None
    if edition is None:
        raise HTTPNotFound()
    if edition is context.current_edition():
        # One address for the current edition: the guide's own.
        return HTTPFound(location=request.resource_url(context))
    page = _guide_page(context, request, edition)
    page["canonical_url"] = request.resource_url(context)
    return page


def _edition_form(request, context, edition=None):
    form = make_form(request, EditionSchema(), buttons=(deform.Button("save", _("Enregistrer l'édition")),))

    def save(appstruct):
        upload = appstruct.get("edition_file")
        fields = (appstruct["label"], appstruct["date"], appstruct["changes"], upload)
        if edition is None:
            request.guide_service.add_edition(context, *fields)
        else:
            request.guide_service.update_edition(edition, *fields)
        if upload:
            form["edition_file"].widget.tmpstore.discard(upload.get("uid"))
        current = context.current_edition()
        flash(
            request,
            _(
                "Édition enregistrée. La page du guide montre l'édition « ${label} » (${date}).",
                mapping={"label": current.label, "date": current.date_label()},
            ),
            "success",
        )
        return HTTPSeeOther(request.resource_url(context) + "#editions")

    def refused(refusal, appstruct):  # a refused file is not kept: another one is chosen
        return fail(form, refusal.message, dict(appstruct, edition_file=None), "edition_file")

    if "save" in request.POST:
        response, html = handle_form_submission(request, form, save, on_failure=refused)
        if response is not None:
            return response
    elif edition is not None:
        html = form.render(
            {
                "label": edition.label,
                "changes": edition.changes,
                "date": (edition.date_year, edition.date_month, edition.date_day),
            }
        )
    else:
        html = form.render()
    title = (
        _("Nouvelle édition de « ${title} »", mapping={"title": context.title})
        if edition is None
        else _("Modifier l'édition « ${label} »", mapping={"label": edition.label})
    )
    return {
        "page_title": title,
        "form": html,
        "context": context,
        "cancel_url": request.resource_url(context),
        "intro": _(
            "La page du guide et son lien permanent montrent toujours l'édition la plus récente ; "
            "les éditions antérieures restent consultables avec un bandeau qui renvoie à la courante."
        ),
    }


@view_config(context=GuideResource, name="add-edition", permission="edit", renderer="form.pt")
def add_edition_view(context, request):
    return _edition_form(request, context)


@view_config(context=GuideResource, name="edit-edition", permission="edit", renderer="form.pt")
def edit_edition_view(context, request):
    edition = context.edition(request.subpath[0]) if request.subpath else None
    if edition is None:
        raise HTTPNotFound()
    return _edition_form(request, context, edition)


def guide_pdf_data(request, guide):
    current = guide.current_edition()
    links = [link for link in guide.links if link.target is not None and visible_to_public(link.target)]
    return {
        "title": guide.title,
        "kind": "Guide",
        "subtitle": f"{current.label} — {current.date_label()}" if current else "",
        "facts": [
            x for x in (guide.publisher, format_partial_date(guide.date_year, guide.date_month, guide.date_day)) if x
        ],
        "summary": guide.summary or "",
        "permalink": request.route_url("shortlink", shortid=guide.shortid, rest=()),
        "sections": [{"title": c.title, "html": c.html()} for c in guide.chapters],
        "appendices": [
            {"title": "Organismes à contacter", "entries": [c.lines() for c in guide.contacts]},
            {
                "title": "Ressources citées",
                "entries": [
                    [link.target.title, request.route_url("shortlink", shortid=link.target.shortid, rest=())]
                    + ([link.note] if link.note else [])
                    for link in links
                ],
            },
        ],
    }


@view_config(context=GuideResource, name="guide.pdf", permission="view_full")
def guide_pdf_view(context, request):
    return cached_pdf(
        request, context, "guides", guide_pdf_data(request, context), booklet, f"{slugify(context.title, 60)}.pdf"
    )


# --- contacts, shared by all guides ----------------------------------------------


@view_config(route_name="admin_contacts", renderer="admin/contacts.pt", permission=Permission.EDIT_CONTACTS)
def contacts_view(request):
    return {"contacts": request.guide_service.contacts()}


@view_config(route_name="admin_contact_add", renderer="form.pt", permission=Permission.EDIT_CONTACTS)
@view_config(route_name="admin_contact", renderer="form.pt", permission=Permission.EDIT_CONTACTS)
def contact_form_view(request):
    service = request.guide_service
    contact = None
    if "contact_id" in request.matchdict:
        contact = service.contact(id_param(request.matchdict["contact_id"]))
        if contact is None:
            raise HTTPNotFound()
    form = make_form(request, ContactSchema(), buttons=(deform.Button("save", _("Enregistrer")),))

    def save(appstruct):
        saved = service.save_contact(contact, appstruct)
        flash(request, _("« ${name} » enregistré.", mapping={"name": saved.name}), "success")
        return HTTPSeeOther(request.route_url("admin_contacts"))

    if "save" in request.POST:
        response, html = handle_form_submission(request, form, save, field_name="name")
        if response is not None:
            return response
    else:
        html = form.render(
            {k: getattr(contact, k) for k in ("name", "address", "phone", "email", "web")} if contact else {}
        )
    return {
        "page_title": _("Nouvel organisme à contacter")
        if contact is None
        else _("Modifier « ${title} »", mapping={"title": contact.name}),
        "form": html,
        "context": request.context,
        "cancel_url": request.route_url("admin_contacts"),
        "intro": _("Les coordonnées sont reprises par tous les guides qui citent cet organisme."),
    }


@view_config(route_name="links_to_check", renderer="admin/links_to_check.pt", permission=Permission.CHECK_LINKS)
def links_to_check_view(request):
    return {"rows": request.guide_service.guides_with_link_problems()}
