"""The staff's screens in English: an editor who chose English gets the forms,
their errors (the summary and each field's message, the services' refusals),
the confirmations, the workflow, the review queue and the administration in
English, while what she types and the content's own sections stay French and
are marked so. On a live site, as the editor uses it."""

import re

import pytest
import webtest
from sqlalchemy.orm import Session

from bassin_cms.auth.services import UserService
from bassin_cms.content.models import Folder
from bassin_cms.content.services import ContentService
from tests.conftest import PASSWORD, browser, fire, live_app, text_of


@pytest.fixture(scope="module")
def site(tmp_path_factory, app_settings):
    app, engine = live_app(tmp_path_factory, app_settings, "english")
    with Session(bind=engine) as session:
        users = UserService(session)
        users.create("editor@example.org", PASSWORD, "editor", "Claire")
        users.create("reviewer@example.org", PASSWORD, "reviewer", "Paul")
        users.create("admin@example.org", PASSWORD, "administrator", "Alice")
        content = ContentService(session)
        content.create(content.root(), Folder, title="Ressources")
        session.commit()
    return app


def in_english(app, email):
    visitor = browser(app, email)
    page = visitor.get("/")
    page.click(description="English").follow()
    return visitor


def test_an_editor_works_in_english(site):
    editor = in_english(site, "editor@example.org")
    folder = editor.get("/ressources/")
    assert "Add: Document" in text_of(folder) and "This folder is empty." in text_of(folder)

    add = editor.get("/ressources/@@add/document")
    assert add.html.find("h1").get_text() == "Add: Document"
    labels = [label.get_text(" ", strip=True) for label in add.html.find("form", id="deform").find_all("label")]
    assert "Title * (required)" in labels and "Summary" in labels and "Kind of resource" in labels
    assert add.html.find(id="deformsave").get_text() == "Save"
    form = add.forms["deform"]

    # A failed save: the summary, the field's message and the upload's refusal, in English;
    # what was typed is kept.
    form["summary"] = "Une étude sur les cités minières."
    form.set("date", "2023-13", index=0)
    form.set("upload", webtest.Upload("notes.exe", b"MZ not a document", "application/octet-stream"), index=0)
    failed = form.submit("save")
    summary = failed.html.find(class_="form-errors")
    assert summary.find("h2").get_text(" ", strip=True) == "The form has 3 errors"
    messages = [li.get_text(" ", strip=True) for li in summary.find_all("li")]
    # English punctuation (no space before the colon), and the site's wording
    # of colander's "Required".
    assert "Title: This field is required." in messages
    assert "Date: The month must be between 1 and 12." in messages
    assert any(m.startswith("Main file: The file type “.exe” is not accepted") for m in messages), messages
    assert failed.forms["deform"]["summary"].value == "Une étude sur les cités minières."

    form = failed.forms["deform"]
    form["title"] = "Étude des cités"
    form.set("date", "2023-12", index=0)
    created = form.submit("save").follow()
    assert "“Étude des cités” was created." in text_of(created)
    assert created.html.find("html")["lang"] == "en" and created.html.find("h1")["lang"] == "fr"
    state = created.html.find(class_="state").get_text(" ", strip=True)
    assert state.startswith("State: Draft")
    assert [b.get_text() for b in created.html.select(".workflow button")] == ["Submit for review"]

    submitted = fire(editor, created, "submit")
    assert "“Étude des cités” was submitted for review. State: Pending review." in text_of(submitted)
    assert "Review history" in text_of(submitted) and "submitted for review" in text_of(submitted)

    mine = editor.get("/mes-contenus")
    assert mine.html.find("h1").get_text() == "My content"
    assert "Étude des cités" in text_of(mine) and "Pending review" in text_of(mine)


def test_a_reviewer_sends_back_in_english_and_is_told_why_not_first(site):
    editor = in_english(site, "editor@example.org")
    form = editor.get("/ressources/@@add/document").forms["deform"]
    form["title"] = "Note sur les terrils"
    created = form.submit("save").follow()
    fire(editor, created, "submit")

    reviewer = in_english(site, "reviewer@example.org")
    queue = reviewer.get("/review")
    assert queue.html.find("h1").get_text() == "To review"
    assert re.fullmatch(
        r"1 resource pending review|\d+ resources pending review, oldest first", queue.html.find("caption").get_text()
    )
    page = reviewer.get(created.request.path)
    send_back = page.click(href="@@transition/send_back")
    assert send_back.html.find("h1").get_text() == "Send back to draft: “Note sur les terrils”"
    refused = send_back.forms["transition"].submit("confirm")
    assert "Reason (sent to the author)" in text_of(refused) and "This field is required." in text_of(refused)
    form = refused.forms["transition"]
    form["comment"] = "Ajouter la carte."
    done = form.submit("confirm").follow()
    assert "was sent back to draft. State: Draft." in text_of(done)


def test_administration_pages_speak_english(site):
    admin = in_english(site, "admin@example.org")
    assert admin.get("/").html.find(id="manage-title").get_text() == "Manage the site"
    users = admin.get("/admin/users")
    assert users.html.find("h1").get_text() == "Users"
    assert [th.get_text() for th in users.html.select("thead th")] == [
        "Address",
        "Name",
        "Role",
        "Active",
        "Last login",
    ]
    assert "Reviewer" in text_of(users) and "yes" in text_of(users)
    assert admin.get("/admin/vocabularies").html.find("h1").get_text() == "Vocabularies"
    assert "Themes" in text_of(admin.get("/admin/vocabularies"))
    audit = admin.get("/admin/audit", {"since": "hier"})
    assert audit.html.find("h1").get_text() == "Audit log"
    assert "Dates not recognised: use the form YYYY-MM-DD" in text_of(audit)
    stats = admin.get("/admin/statistiques")
    assert stats.html.find("h1").get_text() == "Statistics" and "By kind of resource" in text_of(stats)

    # A service's refusal, translated with its details.
    form = admin.get("/admin/groups").forms["group"]
    form["name"] = "ddtm-62"
    form["title"] = "DDTM du Pas-de-Calais"
    form.submit("save").follow()
    form = admin.get("/admin/groups").forms["group"]
    form["name"] = "ddtm-62"
    form["title"] = "Encore"
    refused = form.submit("save", status=400)  # refused by a rule: the form again, status 400
    assert "The group “ddtm-62” already exists." in text_of(refused)


def test_french_stays_the_default_for_staff(site):
    editor = browser(site, "editor@example.org")
    form = editor.get("/ressources/@@add/document").forms["deform"]
    failed = form.submit("save")
    assert (
        failed.html.find(class_="form-errors").find("h2").get_text(" ", strip=True) == "Le formulaire contient 1 erreur"
    )
    assert "Titre : Ce champ est obligatoire." in text_of(failed)


def test_a_guide_page_in_english_keeps_its_chapters_french(site):
    editor = in_english(site, "editor@example.org")
    form = editor.get("/ressources/@@add/guide").forms["deform"]
    assert "Chapters" in text_of(editor.get("/ressources/@@add/guide"))
    form["title"] = "Construire aux abords d'une cité"
    form["chapters"] = "# Le Bien\n\nLes 353 éléments.\n\n# Les abords\n\nRespecter les alignements."
    form["related"] = "/ressources/n-existe-pas/"
    refused = form.submit("save")
    assert (
        "Cited resources: line 1 (“/ressources/n-existe-pas/”): no resource of the centre at this address."
        in text_of(refused)
    )
    draft = editor.get("/ressources/@@add/document").forms["deform"]
    draft["title"] = "Brouillon cité"
    draft_path = draft.submit("save").follow().request.path
    form = refused.forms["deform"]
    form["related"] = draft_path
    guide = form.submit("save").follow()
    # The state inside the reason is translated too (a message within a message).
    check = guide.html.find(id="links-check-title").find_parent("section")
    assert "« Brouillon cité » : not visible to the public (state: Draft)" in " ".join(check.get_text(" ").split())
    toc = guide.html.find(id="toc-title")
    assert toc.get_text() == "Contents" and toc.find_parent("nav").find("ol")["lang"] == "fr"
    chapter = guide.html.find("section", class_="chapter")
    assert chapter["lang"] == "fr" and chapter.find("h2").get_text() == "Le Bien"
    assert guide.html.find(id="editions-title").get_text() == "Editions"
    assert len(guide.html.select("#related-title")) <= 1 and len(guide.html.select("[id]")) == len(
        {tag["id"] for tag in guide.html.select("[id]")}
    )  # no id twice on the page


def test_field_messages_beside_the_fields_are_english_too(site):
    editor = in_english(site, "editor@example.org")
    form = editor.get("/ressources/@@add/document").forms["deform"]
    form.set("date", "2023-13", index=0)
    failed = form.submit("save")
    beside = [p.get_text(" ", strip=True) for p in failed.html.select("p.field-error-message")]
    assert "This field is required." in beside and "The month must be between 1 and 12." in beside
