"""Generated PDFs served per resource, cached by what they show."""

import contextlib
import hashlib
import io
import json

from pyramid.view import view_config

from bassin_cms.content.models import Resource
from bassin_cms.content.text import format_partial_date
from bassin_cms.files.checks import human_size
from bassin_cms.files.responses import stored_response

from .resource_sheet import resource_sheet

# A value of a PDF's data naming an object of the blob store (a thumbnail, a
# dossier's picture): the builders get a local path to it. The key names the
# bytes' sha256, so a new picture is new data, hence a new PDF.
STORED = "stored:"


def sheet_of(request, resource):
    """What the sheet shows: only the notice to those who may not see the files."""
    full = request.has_permission("view_full", resource)
    service = request.file_service
    files = service.files_of(resource) if full else []
    thumbnail = service.thumbnail_file(resource) if full else None
    labels = {
        name: [t.display() if name == "territory" else t.label for t in resource.terms_of(name)]
        for name in ("audience", "theme", "territory", "level", "subject")
    }
    return {
        "title": resource.title,
        "kind": resource.kind.label if resource.kind else "",
        "date": format_partial_date(resource.date_year, resource.date_month, resource.date_day) or "",
        "summary": resource.summary or "",
        "publisher": resource.publisher or "",
        "audiences": labels["audience"],
        "themes": labels["theme"],
        "territories": labels["territory"],
        "levels": labels["level"],
        "subjects": labels["subject"],
        "duration": resource.duration or "",
        "licence": resource.rights or "",
        "permalink": request.route_url("shortlink", shortid=resource.shortid, rest=()),
        "files": [
            f"{f.filename} ({f.blob.mime_type.split('/')[-1].upper()}, {human_size(f.blob.size)}"
            + (f", {f.blob.page_count} p." if f.blob.page_count else "")
            + ")"
            for f in files
        ],
        "thumbnail": STORED + service.thumbnail_key(thumbnail) if thumbnail is not None else None,
    }


def _with_local_files(data, store, stack):
    if isinstance(data, dict):
        return {k: _with_local_files(v, store, stack) for k, v in data.items()}
    if isinstance(data, list):
        return [_with_local_files(v, store, stack) for v in data]
    if isinstance(data, str) and data.startswith(STORED):
        try:
            return str(stack.enter_context(store.local_path(data[len(STORED) :])))
        except FileNotFoundError:
            return None  # a lost picture: the PDF is made without it
    return data


def cached_pdf(request, resource, kind, data, build, filename):
    """A generated PDF of ``resource``, built once per version of what it shows
    (the key is a hash of ``data``) and kept in the blob store under
    cache/<kind>/, so that every server reads the same; any change to what it
    shows gives a new key, which is also the ETag."""
    store = request.registry["blob_storage"]
    key = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:24]
    prefix = f"cache/{kind}/{resource.id}-"
    stored = prefix + f"{key}.pdf"
    size = store.size(stored)
    if size is None:
        with contextlib.ExitStack() as stack:
            pdf = build(_with_local_files(data, store, stack))
        store.write(stored, io.BytesIO(pdf))
        size = len(pdf)
        for old, _size, _modified in list(store.keys(prefix)):
            if old != stored:
                store.delete(old)
    return stored_response(
        request,
        store,
        stored,
        size,
        "application/pdf",
        key,
        None,  # the ETag decides: what the PDF shows changes without the resource
        disposition=f'inline; filename="{filename}"',
    )


@view_config(context=Resource, name="fiche.pdf", permission="view")
def resource_sheet_view(context, request):
    return cached_pdf(
        request, context, "sheets", sheet_of(request, context), resource_sheet, f"fiche-{context.shortid}.pdf"
    )
