"""Generated PDFs served per resource, cached by what they show."""

import hashlib
import json
import os
from pathlib import Path

from pyramid.response import FileResponse
from pyramid.view import view_config

from bassin_cms.content.models import Resource
from bassin_cms.content.text import format_partial_date
from bassin_cms.files.checks import human_size

from .resource_sheet import resource_sheet


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
        "thumbnail": str(service.thumbnail_path(thumbnail)) if thumbnail is not None else None,
    }


def cached_pdf(request, resource, kind, data, build, filename):
    """A generated PDF of ``resource``, built once per version of what it shows
    (the key is a hash of ``data``) and kept in var/cache/<kind>; any change to
    what it shows gives a new key, which is also the ETag."""
    key = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:24]
    directory = Path(request.registry.settings["bassin.var_dir"]) / "cache" / kind
    path = directory / f"{resource.id}-{key}.pdf"
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        for old in directory.glob(f"{resource.id}-*.pdf"):
            old.unlink(missing_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(build(data))
        os.replace(temporary, path)
    response = FileResponse(str(path), request=request, content_type="application/pdf")
    response.etag = key
    response.cache_control = "no-cache"
    response.content_disposition = f'inline; filename="{filename}"'
    return response


@view_config(context=Resource, name="fiche.pdf", permission="view")
def resource_sheet_view(context, request):
    return cached_pdf(
        request, context, "sheets", sheet_of(request, context), resource_sheet, f"fiche-{context.shortid}.pdf"
    )
