"""Error pages: a server error or a database outage answers a page of the
site (500, or 503 with Retry-After), in French and English, with a reference
that is also in the log, never waitress's bare "Internal Server Error".

Three places catch, because errors happen at three depths:
- an exception view, for what a view raises (after pyramid_retry's last try);
- a WSGI middleware around the whole application, for what escapes Pyramid
  (a commit that fails in pyramid_tm, the page cache, a session cookie);
- a tween over pyramid_tm that marks SQLite's "database is locked" as
  retryable, so pyramid_retry tries the request again first.

The page is rendered from templates/error.pt without the database, the
session or the translator: any of them may be what failed.
"""

import logging
import os
import secrets

from chameleon import PageTemplateFile
from pyramid.response import Response
from pyramid.tweens import INGRESS
from pyramid.view import exception_view_config
from pyramid_retry import mark_error_retryable
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

log = logging.getLogger(__name__)
_template = {}


def is_locked(exc):
    """SQLite's writer lock held past the busy timeout: worth another try."""
    return isinstance(exc, OperationalError) and "database is locked" in str(exc.orig)


def is_outage(exc):
    """The database cannot be reached (down, restarting, out of connections)."""
    if isinstance(exc, (DisconnectionError, PoolTimeout)):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError)


def new_reference():
    return secrets.token_hex(4).upper()


def render(templates_dir, unavailable, reference, bad_request=False):
    template = _template.get(templates_dir)
    if template is None:
        template = _template[templates_dir] = PageTemplateFile(os.path.join(templates_dir, "error.pt"))
    return template(unavailable=unavailable, reference=reference, bad_request=bad_request)


def bad_request_response(templates_dir):
    response = Response(
        render(templates_dir, False, "", bad_request=True), status=400, content_type="text/html", charset="utf-8"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def malformed(environ):
    """Why the request cannot be read as text, or None. Pyramid, WebOb and the
    page cache decode the path and the query string as UTF-8 and fail deep
    inside (209 of the review's 500s); a client that sends invalid UTF-8
    gets a 400 here instead, before any of them."""
    from urllib.parse import unquote_to_bytes

    try:
        environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8")
        for part in environ.get("QUERY_STRING", "").replace("+", " ").split("&"):
            unquote_to_bytes(part).decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return "invalid UTF-8"
    return None


def error_response(templates_dir, exc, path=""):
    reference = new_reference()
    unavailable = is_outage(exc)
    log.error(
        "error %s on %s (%s)",
        reference,
        path,
        "database unavailable" if unavailable else "server error",
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    response = Response(
        render(templates_dir, unavailable, reference),
        status=503 if unavailable else 500,
        content_type="text/html",
        charset="utf-8",
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Error-Reference"] = reference
    if unavailable:
        response.headers["Retry-After"] = "30"
    return response


@exception_view_config(Exception, retryable_error=False)
@exception_view_config(Exception, last_retry_attempt=True)
def server_error_view(exc, request):
    # pyramid_tm aborts the transaction: the request carries an exception.
    return error_response(request.registry.settings["bassin.templates_dir"], exc, request.path_info)


class ErrorMiddleware:
    """The last net: whatever escapes the application gets the error page;
    a request that cannot be decoded gets a 400 without reaching it."""

    def __init__(self, app, templates_dir):
        self.app = app
        self.templates_dir = templates_dir
        self.registry = getattr(app, "registry", None)

    def __call__(self, environ, start_response):
        if malformed(environ):
            return bad_request_response(self.templates_dir)(environ, start_response)
        try:
            return self.app(environ, start_response)
        except Exception as exc:  # noqa: BLE001 - answered with the page, logged with its reference
            import sys

            response = error_response(self.templates_dir, exc, environ.get("PATH_INFO", ""))
            return response(environ, lambda status, headers: start_response(status, headers, sys.exc_info()))


def malformed_body_tween_factory(handler, registry):
    """A form body that cannot be parsed (a multipart body without or with a
    broken boundary, invalid UTF-8 in its fields) is a 400, read once here
    rather than failing inside whichever view touches request.POST first."""
    templates_dir = registry.settings["bassin.templates_dir"]

    def tween(request):
        if request.method in ("POST", "PUT", "PATCH"):
            try:
                for value in request.POST.values():
                    if isinstance(value, str):
                        value.encode("utf-8")  # a lone surrogate from a bad byte
            except (ValueError, UnicodeError, IndexError, KeyError):
                log.info("malformed body on %s", request.path_info)
                return bad_request_response(templates_dir)
        return handler(request)

    return tween


def retry_locked_tween_factory(handler, registry):
    def tween(request):
        try:
            return handler(request)
        except OperationalError as exc:
            if is_locked(exc):
                mark_error_retryable(exc)
            raise

    return tween


def includeme(config):
    config.add_tween("bassin_cms.errors.retry_locked_tween_factory", over="pyramid_tm.tm_tween_factory")
    config.add_tween("bassin_cms.errors.malformed_body_tween_factory", under=INGRESS)
    config.scan(".errors")
