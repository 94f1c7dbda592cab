"""The site's public address, from ``bassin.public_url``, for every absolute
URL that leaves the request: the links in mails to reviewers, the Atom feed,
the sitemap, OAI-PMH identifiers, the API, the permalinks printed in PDFs.

Without it, Pyramid builds them from the Host header, which the client
writes: a submit sent with "Host: evil.example" mailed reviewers a link to
evil.example. With it set, the environ's host, scheme and script name are
replaced before anything reads them, so every URL the application builds
(route_url, resource_url, the page cache's key) is the public one. Empty: the
Host header is used, as on a developer's machine."""

from urllib.parse import urlsplit

DEFAULT_SCRIPT_URL = "http://localhost:6543"


class PublicURLError(ValueError):
    pass


def parse_public_url(value):
    """(scheme, host, port, script name) of ``value``, or None when empty."""
    value = (value or "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise PublicURLError(
            f"bassin.public_url = {value!r} : une adresse http(s)://hôte[:port][/chemin] est attendue."
        )
    port = str(parts.port or (443 if parts.scheme == "https" else 80))
    return parts.scheme, parts.netloc, port, parts.path.rstrip("/")


def public_url_of(settings):
    """The public URL for a request made outside any client's (commands, the worker)."""
    return (settings.get("bassin.public_url") or "").strip().rstrip("/") or DEFAULT_SCRIPT_URL


class PublicURL:
    """WSGI middleware: the request's address is the configured one."""

    def __init__(self, app, settings):
        self.app = app
        self.registry = getattr(app, "registry", None)
        self.parsed = parse_public_url(settings.get("bassin.public_url"))

    def __call__(self, environ, start_response):
        if self.parsed is not None:
            scheme, netloc, port, script_name = self.parsed
            environ = dict(environ)  # the server's own stays as it received it (its logs)
            environ["wsgi.url_scheme"] = scheme
            environ["HTTP_HOST"] = netloc
            environ["SERVER_NAME"] = netloc.rsplit(":", 1)[0] if netloc.count(":") == 1 else netloc
            environ["SERVER_PORT"] = port
            environ["SCRIPT_NAME"] = script_name
            environ.pop("HTTP_X_FORWARDED_HOST", None)
        return self.app(environ, start_response)
