"""/selection: what a visitor gathered, as a list, a ZIP and a bibliography."""

import datetime as dt
from urllib.parse import urlsplit

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.response import Response
from pyramid.view import view_config

from bassin_cms.content.text import citation, format_partial_date
from bassin_cms.i18n import _, flash
from bassin_cms.params import id_param

from .services import Selection, archive_names, readme_text, zip_stream


def selection_of(request):
    return Selection(request.session)


def _back(request, default):
    """Back where the visitor was, on this site only."""
    came_from = request.POST.get("came_from") or ""
    parts = urlsplit(came_from)
    # "//host" and "/\\host" leave the site in browsers.
    if came_from.startswith("/") and not came_from.startswith(("//", "/\\")) and not parts.netloc:
        return came_from
    return default


def _node_id(request):
    return id_param(request.POST.get("node_id"))


def contents(request):
    """(visible resources in selection order, how many were left out): a
    resource that became unpublished or restricted is simply left out."""
    selection = request.selection
    ids = selection.ids()
    found = {r.id: r for r in request.content_service.resources(ids)}
    visible = [found[i] for i in ids if i in found and request.has_permission("view", found[i])]
    return visible, len(ids) - len(visible)


def _entry(request, resource):
    permalink = request.route_url("shortlink", shortid=resource.shortid, rest=())
    return {
        "citation": citation(resource, permalink, dt.date.today()),
        "title": resource.title,
        "kind": resource.kind.label if resource.kind else "",
        "date": format_partial_date(resource.date_year, resource.date_month, resource.date_day) or "",
        "publisher": resource.publisher or "",
        "summary": resource.summary or "",
        "licence": resource.rights or "",
        "permalink": request.route_url("shortlink", shortid=resource.shortid, rest=()),
    }


@view_config(route_name="selection", renderer="selection.pt")
def selection_view(request):
    resources, left_out = contents(request)
    files = {
        r.id: request.file_service.files_of(r) if request.has_permission("view_full", r) else [] for r in resources
    }
    return {
        "resources": resources,
        "left_out": left_out,
        "files": files,
        "total_size": sum(f.blob.size for items in files.values() for f in items),
    }


@view_config(route_name="selection_add", request_method="POST", require_csrf=False, same_origin=True)
def selection_add_view(request):
    node_id = _node_id(request)
    node = request.content_service.get(node_id) if node_id else None
    if node is None or not request.has_permission("view", node):
        flash(request, _("Cette ressource n'existe pas ou n'est pas disponible."))
    elif not request.selection.add(node.id):
        flash(request, _("Votre sélection est pleine (100 ressources) : retirez-en avant d'en ajouter."))
    else:
        flash(
            request,
            _(
                "« ${title} » est dans votre sélection (${count}).",
                mapping={"title": node.title, "count": len(request.selection)},
            ),
            "success",
        )
    return HTTPSeeOther(_back(request, request.route_url("selection")))


@view_config(route_name="selection_remove", request_method="POST", require_csrf=False, same_origin=True)
def selection_remove_view(request):
    node_id = _node_id(request)
    if node_id:
        request.selection.remove(node_id)
        flash(request, _("Retiré de votre sélection."), "success")
    return HTTPSeeOther(_back(request, request.route_url("selection")))


@view_config(route_name="selection_clear", request_method="POST", require_csrf=False, same_origin=True)
def selection_clear_view(request):
    request.selection.clear()
    flash(request, _("Votre sélection est vide."), "success")
    return HTTPSeeOther(request.route_url("selection"))


@view_config(route_name="selection_zip")
def selection_zip_view(request):
    resources, left_out = contents(request)
    if not resources:
        flash(request, _("Votre sélection est vide : rien à télécharger."))
        return HTTPSeeOther(request.route_url("selection"))
    service = request.file_service
    # Only the files this visitor may download: a partners-only resource gives
    # its notice in the README, its files only to partners.
    items = [
        (r, service.files_of(r) if r.files_in_selection_zip and request.has_permission("view_full", r) else [])
        for r in resources
    ]
    # A file whose bytes are lost is named in the README, never half-written.
    missing = {r.id: [f.filename for f in files if not service.is_stored(f)] for r, files in items}
    items = [(r, [f for f in files if service.is_stored(f)]) for r, files in items]
    named = archive_names(items)
    names = {}
    for resource, _attached, name in named:
        names.setdefault(resource.id, []).append(name)
    readme = readme_text(
        [dict(_entry(request, r), files=names.get(r.id, []), missing=missing.get(r.id, [])) for r in resources],
        left_out,
        "Centre de ressources de la Mission Bassin Minier",
    )
    entries = [(name, service.reader(attached), attached.blob.size) for _r, attached, name in named]
    for resource, files in items:
        if files:
            request.count_hit(resource, "download")  # once per resource, whatever its files
    response = Response(content_type="application/zip")
    response.app_iter = zip_stream(readme, entries)
    response.content_disposition = 'attachment; filename="ma-selection.zip"'
    response.cache_control = "no-store"
    return response


@view_config(route_name="selection_bibliography")
def selection_bibliography_view(request):
    from bassin_cms.pdf.bibliography import bibliography

    resources, left_out = contents(request)
    response = Response(bibliography([_entry(request, r) for r in resources], left_out), content_type="application/pdf")
    response.content_disposition = 'attachment; filename="bibliographie-ma-selection.pdf"'
    response.cache_control = "no-store"
    return response
