"""Security headers on every answer, pages kept by the page cache included
(they are served before Pyramid builds a request, so a NewResponse
subscriber would miss them): hence a WSGI layer around the whole app.

The site runs no JavaScript (and means to keep it so): scripts are refused
outright, frames of the site by others too (a one-click workflow form could
otherwise be framed), and everything else comes from the site itself. Inline
``style`` attributes stay allowed (the vocabulary tree indents with them)."""

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'"
)
HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)


class SecurityHeaders:
    def __init__(self, app):
        self.app = app
        self.registry = getattr(app, "registry", None)

    def __call__(self, environ, start_response):
        def with_headers(status, headers, exc_info=None):
            present = {name.lower() for name, _value in headers}
            headers = list(headers) + [(n, v) for n, v in HEADERS if n.lower() not in present]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return self.app(environ, with_headers)
