"""Requests a visitor makes without a session: a same-origin check instead of
a CSRF token.

An anonymous page carries no per-visitor token, so that it sets no cookie and
a shared cache may keep it (docs/caching.md). The forms it holds (add to or
remove from the selection) are then protected the way browsers allow: a POST
must say it comes from the site itself, by its Origin header (every current
browser sends it on a POST) or, failing that, its Referer. A page of another
site cannot forge either. The session cookie is SameSite=Lax as well.

A view asks for it with ``same_origin=True`` (and ``require_csrf=False``: the
token is not what protects it)."""

from urllib.parse import urlsplit

from pyramid.exceptions import BadCSRFOrigin


def _origin_of(url):
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def comes_from_the_site(request):
    """Whether the request's Origin (else its Referer) is the site's own
    address (request.host_url, the public one behind a proxy: public_url.py)."""
    claimed = request.headers.get("Origin")
    if claimed is None or claimed == "null":
        claimed = request.headers.get("Referer") if claimed is None else None
    return claimed is not None and _origin_of(claimed) == request.host_url.lower()


def same_origin_view(view, info):
    if not info.options.get("same_origin"):
        return view

    def wrapper(context, request):
        if request.method not in ("GET", "HEAD", "OPTIONS") and not comes_from_the_site(request):
            raise BadCSRFOrigin()
        return view(context, request)

    return wrapper


same_origin_view.options = ("same_origin",)
