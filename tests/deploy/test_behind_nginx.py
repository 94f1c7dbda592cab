"""Two application servers behind nginx (deploy/nginx.conf), one PostgreSQL
database: what a first-time visitor, an editor and a retraction go through."""

import http.client
import re
import time
from urllib.parse import urlsplit

import webtest

from tests.conftest import PASSWORD, make_pdf
from tests.deploy.conftest import SHARED_SECONDS, USERS
from tests.servers import HTTPProxy, fetch

GUIDE = "/r/mbm-0024"  # the VUE guide, a public resource of the demo


def status(url):
    """The status of a first-time visitor's GET, redirects not followed."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", parts.path)
        return connection.getresponse().status
    finally:
        connection.close()


def resource_path(url):
    """The guide's address, as its permanent link leads to it."""
    moved = webtest.TestApp(HTTPProxy(url)).get(GUIDE)
    assert moved.status_int in (301, 302, 303), moved.status
    return urlsplit(moved.location).path


def logged_in(server, proxy, role="reviewer"):
    """A staff member's browser, talking to ``server`` (nginx or one server)."""
    browser = webtest.TestApp(HTTPProxy(server), extra_environ={"HTTP_ORIGIN": proxy})
    form = browser.get("/login").forms["login"]
    form["email"], form["password"] = USERS[role], PASSWORD
    form.submit("login").follow()
    return browser


def test_a_first_time_visitor_is_served_by_nginx_and_a_session_never_is(cluster):
    proxy = cluster["proxy"]
    path = resource_path(proxy)
    first = fetch(proxy + path)
    assert first[0] == 200 and "Set-Cookie" not in first[1]
    assert first[1]["Cache-Control"] == f"public, max-age=0, s-maxage={SHARED_SECONDS}"
    second = fetch(proxy + path)
    assert second[1]["X-Cache-Status"] == "HIT" and second[2] == first[2]

    # A reviewer logs in through nginx: her pages are never kept, nor served from a copy.
    reviewer = logged_in(proxy, proxy)
    for _ in range(2):
        page = reviewer.get(path)
        assert page.headers["Cache-Control"] == "private, no-store"
        assert page.headers.get("X-Cache-Status") in (None, "BYPASS")
        assert "Retirer de la publication" in page.text  # her page, not the visitors' copy
    # ... and no visitor is ever served hers.
    assert "Retirer de la publication" not in fetch(proxy + path)[2].decode()


def test_a_retraction_through_one_server_is_honoured_everywhere_within_the_delay(cluster):
    proxy, (one, other) = cluster["proxy"], cluster["servers"]
    path = resource_path(proxy)
    fetch(proxy + path)
    assert fetch(proxy + path)[1]["X-Cache-Status"] == "HIT"
    assert fetch(other + path)[0] == 200  # the other server's page cache holds it too

    page = logged_in(one, proxy).get(path)
    retract = next(f for f in page.forms.values() if f.action.endswith("@@transition/retract"))
    done = retract.submit("confirm")
    assert done.status_int in (302, 303)
    retracted_at = time.monotonic()

    # The other server knows within a second (it reads the site's version in the
    # database at most once a second: bassin.page_cache_version_ttl) ...
    while status(other + path) == 200:
        assert time.monotonic() - retracted_at < 1 + 1, "the other server kept serving a retracted page"
        time.sleep(0.1)
    assert status(other + path) in (302, 303)  # to the login page: no longer public
    # ... and nginx once its copy's s-maxage has run out.
    while status(proxy + path) == 200:
        assert time.monotonic() - retracted_at < SHARED_SECONDS + 3, "nginx kept serving a retracted page"
        time.sleep(0.2)
    seen_after = time.monotonic() - retracted_at
    print(f"retraction seen through nginx after {seen_after:.1f} s (s-maxage {SHARED_SECONDS} s)")


def test_static_files_are_served_by_nginx(cluster):
    status, headers, body = fetch(cluster["proxy"] + "/static/site.css")
    assert status == 200 and b".site-header" in body
    assert "Cache-Control" in headers and re.search(r"max-age=\d+", headers["Cache-Control"])


def test_an_upload_kept_by_one_server_is_saved_by_the_other_and_processed_by_the_worker(cluster):
    """The next request may land on the other server: a failed form's upload
    is kept in the shared store; the file's text and thumbnail come from the
    worker (a thread of server 1 here), then are served by either server."""
    first_server, second_server = cluster["servers"]
    editor = logged_in(first_server, cluster["proxy"], role="editor")
    content = make_pdf("Inventaire des chevalements de Wallers-Arenberg", pages=2)
    form = editor.get("/@@add/document").forms["deform"]
    form["title"] = ""  # forgotten
    form.set("upload", webtest.Upload("chevalements.pdf", content, "application/pdf"), index=0)
    failed = form.submit("save")
    assert "Fichier déjà reçu : <strong>chevalements.pdf</strong>" in failed.text
    form = failed.forms["deform"]
    form["title"] = "Inventaire des chevalements"

    other = webtest.TestApp(HTTPProxy(second_server), extra_environ={"HTTP_ORIGIN": cluster["proxy"]})
    other.cookiejar = editor.cookiejar  # the same browser; its next request lands on server 2
    created = other.post(failed.request.path, form.submit_fields("save"), status=303)
    saved = other.get(urlsplit(created.location).path)  # the cookies are the browser's, for any port
    assert "chevalements.pdf" in saved.text
    deadline = time.monotonic() + 30
    while "2 pages" not in saved.text and time.monotonic() < deadline:
        time.sleep(0.5)
        saved = other.get(saved.request.path)
    assert "2 pages" in saved.text and "Traitement en cours" not in saved.text
    link = urlsplit(saved.html.select_one("a.file-link")["href"]).path
    part = editor.get(link, headers={"Range": "bytes=0-99"}, status=206)
    assert part.body == content[:100]

    import boto3

    bucket = boto3.client("s3", aws_access_key_id="testing", aws_secret_access_key="testing", **cluster["s3"])
    keys = [o["Key"] for o in bucket.list_objects_v2(Bucket=cluster["bucket"]).get("Contents", [])]
    assert any(k.startswith("thumbnails/") for k in keys) and not any(k.startswith("uploads/") for k in keys)
    assert not (cluster["var"] / "server0" / "files").exists() and not (cluster["var"] / "server1" / "files").exists()
