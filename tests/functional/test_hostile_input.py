"""Hostile input on every route and every view, as each kind of user: no 5xx,
no traceback. The addresses come from the application's own route and view
tables (Pyramid's introspector), so a view added tomorrow is attacked too.

Each address is asked with: a plain GET, a query string of invalid UTF-8 and
huge or negative numbers, an invalid UTF-8 path segment, and POSTs with no
token, with the token and malformed fields (duplicated, huge, negative,
deform's peppercorn markers left open), and with a malformed multipart body.
The site is the full demo (every kind, with files), loaded by the CLI."""

import re
from urllib.parse import quote

import pytest
import webtest
from pyramid.paster import get_appsettings
from sqlalchemy.orm import Session

from bassin_cms import main
from bassin_cms.content.models import Node, Resource
from tests.conftest import PASSWORD, ROOT, Drained, login
from tests.servers import cli, make_site

ROLES = ["anonymous", "partner", "journalist", "editor", "reviewer", "administrator"]
HUGE = "99999999999999999999999"
# One value per placeholder that a route's pattern accepts, valid or not.
PLACEHOLDERS = {
    "user_id": HUGE,
    "contact_id": HUGE,
    "term_id": HUGE,
    "vocabulary": "theme",
    "year": HUGE,
    "facet": "theme",
    "code": "%FF",
    "shortid": "%C3%28",
    "rest": "",
    "lang": "xx",
    # The press gallery's links and password links: forged, huge, not ASCII.
    "token": f"{HUGE}.%FF%C3%28",
    "request_id": HUGE,
    "link_id": HUGE,
    "image_id": HUGE,
}
INVALID_UTF8_QUERY = "?q=%C3%28&%FF=%FE"
NUMBERS_QUERY = (
    f"?page={HUGE}&page=-1&offset=-5&id={HUGE}&from=abc&until=9999-99-99&sort=%00&q=%00"
    f"&year_from={HUGE}&limit=-1&came_from=%0D%0Aevil"
)
ROUTES_LEFT_OUT = {"__static/"}
# Queries a route reads beyond the common ones: forged OAI resumption tokens
# (base64 of JSON that is not ours, of JSON with a bad offset, of nothing).
EXTRA_QUERIES = {
    "/oai": [
        "?verb=ListRecords&resumptionToken=eyJvZmZzZXQiOjAsImZyb20iOjV9",
        "?verb=ListRecords&resumptionToken=%7B%22offset%22%3A0%2C%22from%22%3A5%7D",
        "?verb=ListIdentifiers&resumptionToken=eyJvZmZzZXQiOiAtNSwgInVudGlsIjogW119",
        "?verb=ListRecords&resumptionToken=!!!&metadataPrefix=oai_dc",
        f"?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:example.com:{HUGE}",
        "?verb=ListRecords&metadataPrefix=oai_dc&from=2024-13-45&until=x",
        "?verb=ListSets&verb=Identify",
    ],
    "/api/resources": ["?limit=-1&offset=" + HUGE, "?since=9999-99-99&kind=%00", "?limit=" + HUGE],
    "/search.json": ["?year_from=" + HUGE + "&year_to=-1", "?q=" + "a%20" * 3000],
    "/search": ["?q=%22%22%22&theme=" + "x" * 500, "?q=*&sort=downloads&page=1000"],
    "/presse/phototheque/images.zip": ["?image=" + HUGE + "&image=-1&image=%FF", "?image=1&image=1&image=2"],
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not (ROOT.parent / "shared" / "catalogue").exists():
        pytest.skip("the demo content (../shared) is not beside the checkout")
    var = tmp_path_factory.mktemp("hostile")
    ini = make_site(var)
    cli(ini, "load-demo")
    for role in ROLES[1:]:
        cli(ini, "create-user", f"{role}@example.org", "--role", role, stdin=PASSWORD + "\n")
    settings = dict(get_appsettings(str(ini)), **{"bassin.worker": "off"})
    app = main({"here": str(ROOT)}, **settings)
    return app


def addresses(app):
    """[(path, methods)] of every route (placeholders filled) and of every
    view on the first node of its context's kind."""
    introspector = app.registry.introspector
    patterns = {
        r["introspectable"]["name"]: r["introspectable"]["pattern"] for r in introspector.get_category("routes")
    }
    with Session(bind=app.registry["dbengine"]) as session:
        nodes = list(session.query(Node).order_by(Node.id))
        out = {}
        for view in introspector.get_category("views"):
            spec = view["introspectable"]
            methods = spec["request_methods"]
            methods = {methods} if isinstance(methods, str) else set(methods or ("GET", "POST"))
            if spec["route_name"]:
                if spec["route_name"] in ROUTES_LEFT_OUT:
                    continue
                path = re.sub(
                    r"\{(\w+)(:[^}]*)?\}", lambda m: PLACEHOLDERS[m.group(1)], patterns[spec["route_name"]]
                ).replace("*rest", "")
                out.setdefault(path, set()).update(methods)
            elif spec["name"] and isinstance(spec["context"], type) and issubclass(spec["context"], Node):
                targets = [n for n in nodes if isinstance(n, spec["context"])]
                # A resource with files, and a restricted one where there is one.
                picks = {targets[0]} if targets else set()
                picks |= {n for n in targets if isinstance(n, Resource) and n.restricted}
                for node in list(picks)[:2]:
                    base = node.path.rstrip("/") + "/"
                    out.setdefault(f"{base}@@{spec['name']}", set()).update(methods)
                    out.setdefault(f"{base}@@{spec['name']}/{HUGE}/x.pdf", set()).update(methods)
    return sorted(out.items())


def csrf_of(testapp):
    page = testapp.get("/selection")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    return found.group(1) if found else ""


def attacks(path, methods, token):
    """(method, path, body, content type) of each hostile request."""
    yield "GET", path, None, None
    yield "GET", path + INVALID_UTF8_QUERY, None, None
    yield "GET", path + NUMBERS_QUERY, None, None
    yield "GET", path.rstrip("/") + "/%FF%C3%28", None, None
    for query in EXTRA_QUERIES.get(path, ()):
        yield "GET", path + query, None, None
    if "POST" not in methods:
        return
    form = "application/x-www-form-urlencoded"
    yield "POST", path, "", form
    junk = [
        ("__start__", "entries:sequence"),
        ("__start__", "x:mapping"),
        ("title", "A" * 20000),
        ("title", "\r\nBcc: x@example.org"),
        ("page", "-1"),
        ("id", HUGE),
        ("node_id", HUGE),
        ("position", HUGE),
        ("version", "-1"),
        ("year", HUGE),
        ("revoke", HUGE),
        ("confirm", ""),
    ]
    yield "POST", path + "?came_from=%0D%0ASet-Cookie:x", encode([("csrf_token", token)] + junk), form
    yield "POST", path, encode([("csrf_token", token), ("csrf_token", "x")] + junk), form
    yield "POST", path, encode([("csrf_token", token), ("q", "\udcff"), ("title", "\udcfe")]), form
    yield (
        "POST",
        path + "?csrf_token=" + quote(token),
        '--x\r\nContent-Disposition: form-data; name="upload"; filename="a.pdf"\r\n\r\n%PDF',
        "multipart/form-data; boundary=x",
    )
    yield "POST", path, "--", "multipart/form-data"


def encode(fields):
    return "&".join(f"{quote(k)}={quote(v, errors='surrogateescape')}" for k, v in fields)


def wsgi_request(app, method, url, body=b"", content_type=None, cookie=""):
    """(status, text) of one request built by hand: WebTest itself refuses
    the invalid UTF-8 a hostile client sends, and a server must not."""
    import io
    import sys
    from urllib.parse import unquote_to_bytes

    path, _sep, query = url.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": "example.com",
        "SERVER_PORT": "80",
        "HTTP_HOST": "example.com",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
        "CONTENT_LENGTH": str(len(body)),
        "REMOTE_ADDR": "192.0.2.1",
        "HTTP_COOKIE": cookie,
    }
    if content_type:
        environ["CONTENT_TYPE"] = content_type
    status = []
    chunks = app(environ, lambda s, headers, exc_info=None: status.append(s))
    try:
        text = b"".join(chunks).decode("utf-8", "replace")
    finally:
        getattr(chunks, "close", lambda: None)()
    return int(status[0].split()[0]), text


@pytest.mark.parametrize("role", ROLES)
def test_no_route_answers_a_server_error(site, role):
    app = Drained(site)
    testapp = webtest.TestApp(app, extra_environ={"HTTP_HOST": "example.com"})
    if role != "anonymous":
        login(testapp, f"{role}@example.org").follow()
    token = csrf_of(testapp)
    cookie = "; ".join(f"{name}={value}" for name, value in testapp.cookies.items())
    failures, asked, statuses = [], 0, {}
    for path, methods in addresses(site):
        for method, url, body, content_type in attacks(path, methods, token):
            if url.endswith("/logout") and method == "POST":
                continue  # would end this role's session for the rest of the run
            asked += 1
            status, text = wsgi_request(
                app, method, url, (body or "").encode("utf-8", "surrogateescape"), content_type, cookie
            )
            statuses[status] = statuses.get(status, 0) + 1
            if status >= 500 or "Traceback" in text:
                failures.append(f"{method} {url[:120]} -> {status}")
    print(role, asked, "requests:", sorted(statuses.items()), "token", bool(token), cookie[:20])
    assert asked > 300
    assert failures == []
