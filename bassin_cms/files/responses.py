"""A stored object as an HTTP answer: Range, ETag and 304 whatever the store."""

from pyramid.httpexceptions import HTTPFound
from pyramid.response import Response


class StoredObject:
    """A WSGI body read from the store as it is sent; WebOb asks it for a byte
    range (``app_iter_range``) when the request has a Range header, so a
    resumed 200 MB download reads only what is asked."""

    def __init__(self, store, key, size):
        self.store = store
        self.key = key
        self.size = size

    def __iter__(self):
        return iter(self.store.open_range(self.key, 0, self.size))

    def app_iter_range(self, start, stop):
        stop = self.size if stop is None else min(stop, self.size)
        return self.store.open_range(self.key, start or 0, stop)


def stored_response(request, store, key, size, content_type, etag, last_modified, disposition=None):
    """The object at ``key`` (``size`` bytes, from the database: no store call
    before the body is read). Revalidated every time: permissions may change
    and a cache must not keep serving what is no longer public. A store that
    hands out presigned addresses gets the browser sent there, with the same
    Content-Disposition; the permission was checked before."""
    if request.if_none_match and etag in request.if_none_match:
        response = Response(status=304)
    else:
        url = store.download_url(key, disposition or "inline", content_type)
        if url is not None:
            response = HTTPFound(location=url)
            response.cache_control = "no-store"
            return response
        response = Response(
            content_type=content_type,
            app_iter=StoredObject(store, key, size),
            content_length=size,
            conditional_response=True,
        )
        if disposition:
            response.content_disposition = disposition
    response.etag = etag
    response.last_modified = last_modified
    response.accept_ranges = "bytes"
    response.cache_control = "no-cache"
    return response
