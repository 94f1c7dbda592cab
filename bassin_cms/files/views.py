"""Downloads and thumbnails: right type, UTF-8 file name, ETag, Range."""

import logging
from urllib.parse import quote

from pyramid.httpexceptions import HTTPNotFound
from pyramid.view import view_config

from bassin_cms.content.models import Resource
from bassin_cms.i18n import _

from .responses import stored_response

log = logging.getLogger(__name__)


class MissingFile(HTTPNotFound):
    """The database names a file whose bytes are not in the store."""


@view_config(context=MissingFile, renderer="404.pt")
def missing_file_view(exc, request):
    request.response.status = 404
    request.response.cache_control = "no-store"
    return {
        "message": _(
            "Le fichier « ${name} » est momentanément indisponible : il manque sur le serveur. "
            "L'équipe technique en est informée ; la notice de la ressource reste consultable.",
            mapping={"name": exc.detail},
        )
    }


INLINE_TYPES = ("application/pdf", "image/")


def content_disposition(disposition, filename):
    """RFC 6266: an ASCII fallback plus the UTF-8 name for modern browsers."""
    fallback = filename.encode("ascii", "replace").decode("ascii").replace("?", "_")
    fallback = fallback.replace("\\", "_").replace('"', "_")
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _serve(context, request, disposition):
    if not request.subpath:
        raise HTTPNotFound()
    attached = request.file_service.get(context, request.subpath[0])
    if attached is None:
        raise HTTPNotFound()
    blob = attached.blob
    if not request.file_service.is_stored(attached):
        log.error("file %s (%s) of %s is missing from the store", attached.filename, attached.sha256, context.path)
        raise MissingFile(attached.filename)
    if disposition == "inline" and not blob.mime_type.startswith(INLINE_TYPES):
        disposition = "attachment"
    response = stored_response(
        request,
        request.registry["blob_storage"],
        request.file_service.key(attached),
        blob.size,
        blob.mime_type,
        blob.sha256,
        blob.created,
        disposition=content_disposition(disposition, attached.filename),
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    # A download is counted once: not when a cache revalidates (304), not for
    # each later range of a file being fetched in parts.
    revalidation = request.if_none_match and blob.sha256 in request.if_none_match
    continuation = request.range is not None and request.range.start not in (0, None)
    if not revalidation and not continuation:
        request.count_hit(context, "download")
    return response


@view_config(context=Resource, name="download", permission="view_full")
def download_view(context, request):
    return _serve(context, request, "attachment")


@view_config(context=Resource, name="display-file", permission="view_full")
def display_file_view(context, request):
    return _serve(context, request, "inline")


@view_config(context=Resource, name="thumbnail", permission="view_full")
def thumbnail_view(context, request):
    service = request.file_service
    attached = service.get(context, request.subpath[0]) if request.subpath else service.thumbnail_file(context)
    key = service.thumbnail_key(attached) if attached is not None else None
    return derived_response(request, key, "t-", attached)


def derived_response(request, key, tag, attached):
    """A thumbnail or preview (its size is asked of the store: the database does not hold it)."""
    store = request.registry["blob_storage"]
    size = store.size(key) if key else None
    if size is None:
        raise HTTPNotFound()
    return stored_response(request, store, key, size, "image/jpeg", tag + attached.sha256, attached.blob.created)


@view_config(context=Resource, name="preview.jpg", permission="view_full")
def preview_view(context, request):
    """A light image of the main file's first page (a poster's web preview)."""
    service = request.file_service
    attached = service.main_file(context)
    key = service.preview_key(attached) if attached is not None else None
    return derived_response(request, key, "p-", attached)
