"""Concurrent edits, scheduling, local roles through groups, the audit log,
user administration, and CSRF on every state-changing request."""

import datetime as dt

import pytest
import webtest

from bassin_cms.auth.services import GroupService, LocalRoleService
from bassin_cms.cli import script_request
from bassin_cms.content.models import Document, Folder
from bassin_cms.content.services import ContentService
from bassin_cms.workflow.models import WorkflowEntry
from tests.conftest import login
from tests.functional.test_editing_journey import add_document, add_folder


def test_second_save_of_the_same_version_is_refused_and_keeps_what_was_typed(app, tm, dbsession, make_user):
    first, second = (
        webtest.TestApp(
            app,
            extra_environ={"HTTP_HOST": "example.com", "tm.active": True, "tm.manager": tm, "app.dbsession": dbsession},
        )
        for _ in range(2)
    )
    claire, marc = make_user("editor", email="claire@example.org"), make_user("editor", email="marc@example.org")
    login(first, claire.email)
    login(second, marc.email)
    add_folder(first, "/", "Études")
    add_document(first, "/etudes/", "Plan de paysage", filename=None)

    form_1 = first.get("/etudes/plan-de-paysage/@@edit").forms["deform"]
    form_2 = second.get("/etudes/plan-de-paysage/@@edit").forms["deform"]
    form_1["title"] = "Plan de paysage de la Chaîne des terrils"
    form_1.submit("save").follow()

    form_2["summary"] = "Résumé écrit par Marc."
    refused = form_2.submit("save", status=409)
    assert refused.status_int == 409  # Conflict: the page says why and keeps the text
    assert "Quelqu'un a modifié cette ressource" in refused.text
    conflict = refused.html.select_one(".conflict").get_text(" ", strip=True)
    assert "claire@example.org" in conflict
    assert "« Plan de paysage » → « Plan de paysage de la Chaîne des terrils »" in conflict
    assert refused.forms["deform"]["summary"].value == "Résumé écrit par Marc."
    # Having seen the change, Marc saves again, deliberately.
    kept = refused.forms["deform"].submit("save").follow()
    assert "Résumé écrit par Marc." in kept.text


def test_scheduled_publication_and_publish_due(testapp, dbsession, make_user):
    content = ContentService(dbsession)
    author = make_user("editor")
    now = dt.datetime.now(dt.UTC)
    later = content.create(
        content.root(),
        Document,
        title="Bientôt en ligne",
        state="published",
        creator_id=author.id,
        effective=now + dt.timedelta(hours=2),
    )
    old = content.create(
        content.root(),
        Document,
        title="Ancien appel à projets",
        state="published",
        creator_id=author.id,
        expires=now - dt.timedelta(minutes=5),
    )
    dbsession.flush()
    testapp.get(later.path + "/", status=303)
    testapp.get(old.path + "/", status=303)

    later.effective = now - dt.timedelta(minutes=1)
    dbsession.flush()
    assert "Bientôt en ligne" in testapp.get(later.path + "/").text

    request = script_request(testapp.app.registry, thread_local=False)
    request.environ.update({"app.dbsession": dbsession, "tm.active": True})
    done = request.workflow.due()
    assert [n.title for n in done] == ["Ancien appel à projets"]
    assert old.state == "archived"
    entry = dbsession.query(WorkflowEntry).filter_by(node_id=old.id).one()
    assert (entry.transition, entry.actor_name) == ("archive", "publication programmée (bassin-cms publish-due)")
    assert "Date de dépublication atteinte" in entry.comment


def test_reviewer_of_a_folder_through_a_group(testapp, dbsession, make_user):
    content = ContentService(dbsession)
    author = make_user("editor")
    udap = make_user("partner", email="udap62@example.org")
    group = GroupService(dbsession).create("udap-62", "UDAP du Pas-de-Calais")
    GroupService(dbsession).add_member(group, udap)
    guides = content.create(content.root(), Folder, title="Guides")
    other = content.create(content.root(), Folder, title="Autres")
    LocalRoleService(dbsession).grant(guides.id, f"group:{group.id}", "reviewer")
    mine = content.create(guides, Document, title="Guide des terrils", state="pending", creator_id=author.id)
    outside = content.create(other, Document, title="Hors de mon dossier", state="pending", creator_id=author.id)
    dbsession.flush()

    login(testapp, udap.email)
    queue = testapp.get("/review")
    assert "Guide des terrils" in queue.text
    assert "Hors de mon dossier" not in queue.text
    page = testapp.get(mine.path + "/")
    form = next(f for f in page.forms.values() if f.action.endswith("@@transition/publish"))
    form.submit("confirm").follow()
    assert mine.state == "published"
    testapp.get(outside.path + "/", status=403)


def test_sharing_view_and_audit_log(testapp, admin, make_user, dbsession):
    marc = make_user("partner", email="marc@example.org")
    add_folder(testapp, "/", "Presse")
    sharing = testapp.get("/presse/@@sharing")
    form = sharing.forms["share"]
    form["principal"] = f"user:{marc.id}"
    form["role"] = "editor"
    granted = form.submit("grant").follow()
    granted_roles = [li.get_text(" ", strip=True) for li in granted.html.select("main > ul > li")]
    assert any(li.startswith("Partner — Éditeur") for li in granted_roles)

    audit = testapp.get("/admin/audit")
    rows = [tr.get_text(" ", strip=True) for tr in audit.html.select("tbody tr")]
    assert any("Rôle sur un dossier" in r and "admin@example.org" in r and f"user:{marc.id}" in r for r in rows)
    assert any("Création" in r and "/presse" in r for r in rows)
    only_roles = testapp.get("/admin/audit", {"action": "role"})
    assert all("Rôle sur un dossier" in tr.get_text(" ", strip=True) for tr in only_roles.html.select("tbody tr"))
    bad = testapp.get("/admin/audit", {"since": "hier"})
    assert "Dates non reconnues" in bad.text

    revoke = testapp.get("/presse/@@sharing")
    form = next(f for f in revoke.forms.values() if "revoke" in f.fields)
    form.submit("revoke").follow()
    assert "Aucun." in testapp.get("/presse/@@sharing").text


def test_administrator_creates_and_deactivates_a_user(testapp, admin):
    form = testapp.get("/admin/users/add").forms["user"]
    form["email"] = "nouvelle@example.org"
    form["role"] = "reviewer"
    form.set("password", "un mot de passe solide", index=0)
    form.set("password-confirm", "un mot de passe solide", index=0)
    testapp.get("/admin/groups")
    created = form.submit("save").follow()
    assert "nouvelle@example.org" in created.text

    user_link = created.html.find("a", string="nouvelle@example.org")["href"]
    form = testapp.get(user_link).forms["user"]
    form["active"] = False
    form.submit("save").follow()
    testapp.reset()
    assert "incorrect" in login(testapp, "nouvelle@example.org", "un mot de passe solide").text


def test_partner_cannot_administer(testapp, make_user):
    login(testapp, make_user("partner").email)
    for url in ("/admin/users", "/admin/groups", "/admin/audit", "/@@sharing"):
        testapp.get(url, status=403)


# --- CSRF on every state-changing request ------------------------------------


@pytest.fixture
def everything(testapp, dbsession, make_user):
    content = ContentService(dbsession)
    author = make_user("administrator", email="root@example.org")
    folder = content.create(content.root(), Folder, title="F")
    content.create(folder, Document, title="D", creator_id=author.id)
    dbsession.flush()
    login(testapp, author.email)
    return author


POSTS = [
    "/f/@@add/document",
    "/f/@@edit",
    "/f/d/@@edit",
    "/f/d/@@delete",
    "/f/d/@@rename",
    "/f/d/@@move",
    "/f/d/@@transition/submit",
    "/f/d/@@remove-file",
    "/f/@@sharing",
    "/admin/users/add",
    "/admin/groups",
    "/admin/vocabularies/theme/add",
    "/logout",
]


@pytest.mark.parametrize("url", POSTS)
def test_csrf_is_refused_on_every_state_changing_request(testapp, everything, url):
    page = testapp.post(url, {"save": "1", "confirm": "1", "delete": "1", "grant": "1", "file_id": "1"}, status=400)
    assert "jeton de sécurité" in page.text
    testapp.get("/f/d/", status=200)  # nothing happened


def test_a_title_with_a_line_break_is_refused_and_kept_for_correction(testapp, editor):
    """Finding 20 of the security review: a CR/LF in a title was saved, and
    the notification mail, whose subject carries the title, was dropped."""
    add_folder(testapp, "/", "Études")
    add_document(testapp, "/etudes/", "Plan de paysage", filename=None)
    form = testapp.get("/etudes/plan-de-paysage/@@edit").forms["deform"]
    form["title"] = "Plan de paysage\r\nBcc: tout-le-monde@example.org"
    page = form.submit("save")
    assert "Ce champ tient sur une ligne" in page.text
    assert page.forms["deform"]["title"].value == "Plan de paysage\r\nBcc: tout-le-monde@example.org"
    assert testapp.get("/etudes/plan-de-paysage/").html.find("h1").get_text(strip=True) == "Plan de paysage"


def test_a_local_editor_sees_no_draft_guide_of_another_folder_in_the_poster_form(app, tm, dbsession, make_user):
    """Finding 14: the poster form's guide list named every guide, drafts of
    folders the person has no role in included."""
    from bassin_cms.content.vocabularies import VocabularyService

    content = ContentService(dbsession)
    ours = content.create(content.root(), Folder, title="Dossier de Lucie")
    theirs = content.create(content.root(), Folder, title="Dossier des autres")
    guide = VocabularyService(dbsession).by_code("kind", "guide")
    for title, state, folder in (
        ("Guide publié", "published", theirs),
        ("Guide en brouillon secret", "draft", theirs),
        ("Guide en brouillon de Lucie", "draft", ours),
    ):
        content.create(folder, Document, title=title, state=state).kind = guide
    lucie = make_user("partner", email="lucie@example.org")
    dbsession.flush()
    LocalRoleService(dbsession).grant(ours.id, f"user:{lucie.id}", "editor")
    visitor = webtest.TestApp(
        app, extra_environ={"HTTP_HOST": "example.com", "tm.active": True, "tm.manager": tm, "app.dbsession": dbsession}
    )
    login(visitor, lucie.email)
    form = visitor.get("/dossier-de-lucie/@@add/poster").forms["deform"]
    offered = [text for _value, _selected, text in form["summarises"].options]
    assert "Guide publié" in offered and "Guide en brouillon de Lucie" in offered
    assert "Guide en brouillon secret" not in offered


def test_a_creator_demoted_to_partner_keeps_no_owner_rights(testapp, dbsession, make_user):
    """Finding 10: owner rights followed the creation, not the role."""
    claire = make_user("editor", email="claire.owner@example.org")
    content = ContentService(dbsession)
    folder = content.create(content.root(), Folder, title="Études")
    content.create(folder, Document, title="Plan de paysage", state="published", creator_id=claire.id)
    dbsession.flush()
    login(testapp, claire.email)
    assert testapp.get("/etudes/plan-de-paysage/@@edit").status_int == 200
    claire.role = "partner"
    dbsession.flush()
    testapp.get("/etudes/plan-de-paysage/@@edit", status=403)
    testapp.get("/etudes/plan-de-paysage/@@transition/retract", status=403)
    # A local editor role on the folder gives them back, as to any editor there.
    LocalRoleService(dbsession).grant(folder.id, f"user:{claire.id}", "editor")
    assert testapp.get("/etudes/plan-de-paysage/@@edit").status_int == 200
