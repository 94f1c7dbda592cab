"""A link checker over the demo content, as each kind of visitor: every
same-site link a page shows is followed (downloads asked for their first
byte only); none may answer 404 or 5xx. Addresses with a query string (the
facets of search and browse pages, which combine without end) are sampled,
a dozen per page, checked but not followed further; every other link is
followed to the end."""

from collections import Counter
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
import webtest
from sqlalchemy.orm import Session

from bassin_cms.auth.services import UserService
from tests.conftest import PASSWORD, demo_app, login

ROLES = {
    "anonymous": None,
    "partner": "partner",
    "editor": "editor",
    "administrator": "administrator",
}
LIMIT = 6000  # addresses a role: more means a loop in the links, itself a defect
QUERIES_PER_PATH = 12  # facets and sorts combine without end: a sample of each page's
# POST endpoints reached by forms, not links; and the language switch, which
# would turn the rest of the crawl into English (tests/functional/test_english_staff.py
# walks the English pages).
SKIP = ("/logout", "/langue", "/selection/")


@pytest.fixture(scope="module")
def site(demo_ini):
    app = demo_app(demo_ini)
    with Session(bind=app.registry["dbengine"]) as session:
        users = UserService(session)
        for role in ("partner", "editor", "administrator"):
            email = f"links-{role}@example.org"
            if users.by_email(email) is None:
                users.create(email, PASSWORD, role, f"Vérificateur {role}")
        session.commit()
    return app


def crawl(app, role):
    visitor = webtest.TestApp(app, extra_environ={"HTTP_HOST": "example.com"})
    if role:
        login(visitor, f"links-{role}@example.org").follow()
    seen, queue, broken, pages = set(), [("/", None)], [], 0
    queried = Counter()
    while queue and pages < LIMIT:
        path, source = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        if "?" in path:
            queried[path.split("?")[0]] += 1
            if queried[path.split("?")[0]] > QUERIES_PER_PATH:
                continue
        download = "/@@download/" in path or "/@@display-file/" in path
        headers = {"Range": "bytes=0-0"} if download else {}
        response = visitor.get(path, headers=headers, expect_errors=True)
        pages += 1
        if response.status_int == 404 or response.status_int >= 500:
            broken.append((path, response.status_int, source))
            continue
        if download or "?" in path or response.content_type != "text/html":
            continue
        for link in response.html.select("a[href]"):
            href = urldefrag(urljoin("http://example.com" + path, link["href"]))[0]
            parts = urlsplit(href)
            if parts.scheme not in ("http", "https") or parts.netloc != "example.com":
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen and not target.startswith(SKIP):
                queue.append((target, path))
    return pages, broken, queue


@pytest.mark.parametrize("role", ROLES)
def test_no_link_of_the_demo_is_broken(site, role):
    pages, broken, left = crawl(site, ROLES[role])
    assert pages > 300, pages  # it really walked the site
    assert not left, f"{len(left)} links left unchecked after {pages} addresses"
    assert broken == [], broken[:20]
