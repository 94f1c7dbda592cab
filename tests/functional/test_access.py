"""Who reaches what: edit views for editors and above, CSRF on every POST,
clear 404/403 pages, login and logout."""

import pytest

from tests.conftest import PASSWORD, csrf_token, login
from tests.functional.test_editing_journey import add_document, add_folder

EDIT_VIEWS = [
    "/@@add/folder",
    "/@@add/document",
    "/@@edit",
    "/dossier/@@edit",
    "/dossier/@@rename",
    "/dossier/@@move",
    "/dossier/doc/@@delete",
    "/dossier/doc/@@edit",
]


@pytest.fixture
def content(testapp, make_user):
    user = make_user("editor", email="author@example.org")
    login(testapp, user.email)
    add_folder(testapp, "/", "Dossier")
    add_document(testapp, "/dossier/", "Doc", filename=None)
    testapp.reset()


@pytest.mark.parametrize("url", EDIT_VIEWS)
def test_anonymous_is_sent_to_login(testapp, content, url):
    page = testapp.get(url, status=303)
    assert "/login?came_from=" in page.location
    assert "Connexion" in page.follow().text


@pytest.mark.parametrize("url", EDIT_VIEWS)
def test_partner_is_forbidden(testapp, content, make_user, url):
    login(testapp, make_user("partner").email)
    page = testapp.get(url, status=403)
    assert "Accès refusé" in page.text


@pytest.mark.parametrize("role", ["editor", "reviewer", "administrator"])
def test_editors_and_above_reach_edit_views(testapp, content, make_user, role):
    login(testapp, make_user(role).email)
    for url in EDIT_VIEWS:
        testapp.get(url, status=200)


def test_a_new_document_is_a_draft_hidden_from_visitors(testapp, content):
    assert "/login" in testapp.get("/dossier/doc/", status=303).location
    folder = testapp.get("/dossier/")
    assert "Doc" not in folder.text and "Ce dossier est vide." in folder.text


def test_post_without_csrf_token_is_refused(testapp, content, make_user):
    login(testapp, make_user("editor").email)
    page = testapp.post("/dossier/@@delete", {"delete": "1"}, status=400)
    assert "jeton de sécurité" in page.text
    testapp.get("/dossier/", status=200)
    page = testapp.post("/dossier/@@delete", {"delete": "1", "csrf_token": "forged"}, status=400)
    testapp.get("/dossier/", status=200)


def test_login_requires_csrf_and_right_password(testapp, make_user):
    user = make_user("editor")
    testapp.post("/login", {"email": user.email, "password": PASSWORD, "login": "1"}, status=400)
    page = login(testapp, user.email, "wrong password!")
    assert "Adresse e-mail ou mot de passe incorrect." in page.text
    assert page.forms["login"]["email"].value == user.email
    home = login(testapp, user.email.upper()).follow()
    assert "Se déconnecter" in home.text


def test_login_goes_back_where_it_came_from_but_not_elsewhere(testapp, content, make_user):
    user = make_user("editor")
    page = testapp.get("/login?came_from=http://example.com/dossier/")
    form = page.forms["login"]
    form["email"], form["password"] = user.email, PASSWORD
    assert form.submit("login").location == "http://example.com/dossier/"
    testapp.reset()
    page = testapp.get("/login?came_from=https://evil.example.net/")
    form = page.forms["login"]
    form["email"], form["password"] = user.email, PASSWORD
    assert form.submit("login").location == "http://example.com/"


def test_inactive_user_cannot_log_in(testapp, make_user, dbsession):
    user = make_user("editor")
    user.active = False
    dbsession.flush()
    assert "incorrect" in login(testapp, user.email).text


def test_logout(testapp, editor):
    home = testapp.get("/")
    page = testapp.post("/logout", {"csrf_token": csrf_token(home)}, status=303).follow()
    assert "Se connecter" in page.text
    testapp.get("/@@edit", status=303)


def test_unknown_url_gives_a_404_page(testapp):
    page = testapp.get("/pas/de/page/ici", status=404)
    assert "Page introuvable" in page.text
    testapp.get("/r/inconnu", status=404)


def test_add_unknown_type_is_404(testapp, editor):
    testapp.get("/@@add/spaceship", status=404)
    testapp.get("/@@add", status=404)


def menu(page):
    return [a.text for a in page.html.select("nav.user-nav a")]


def test_each_person_s_menu_offers_what_leads_somewhere(testapp, make_user, dbsession):
    """Partners have no content of their own and review nothing; editors add
    and edit but do not publish; reviewers do both; a local reviewer too."""
    from bassin_cms.auth.services import LocalRoleService
    from bassin_cms.content.services import ContentService

    for role, expected in [
        ("partner", set()),
        ("editor", {"Mes contenus"}),
        ("reviewer", {"Mes contenus", "À valider"}),
        ("administrator", {"Mes contenus", "À valider", "Administration"}),
    ]:
        make_user(role)
        login(testapp, f"{role}@example.org").follow()
        assert set(menu(testapp.get("/"))) & {"Mes contenus", "À valider", "Administration"} == expected, role
        testapp.reset()
    local = make_user("partner", email="local@example.org")
    folder = ContentService(dbsession).root()
    LocalRoleService(dbsession).grant(folder.id, f"user:{local.id}", "reviewer")
    dbsession.flush()
    login(testapp, "local@example.org").follow()
    assert {"Mes contenus", "À valider"} <= set(menu(testapp.get("/")))


def test_the_administration_has_a_home_and_its_menu_shows_where_one_is(testapp, admin):
    home = testapp.get("/admin")
    links = [a["href"] for a in home.html.select(".admin-sections a")]
    assert len(links) == 8  # the seven sections and the press desk
    for href in links:
        page = testapp.get(href)
        current = page.html.select('.admin-nav a[aria-current="page"]')
        assert [a["href"] for a in current] == [href], href
    term = testapp.get("/admin/vocabularies/theme")  # a page inside a section
    assert term.html.select_one('.admin-nav a[aria-current="page"]').text == "Vocabulaires"
