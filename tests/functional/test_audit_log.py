"""The audit log, as an administrator reads it: every change, each field
that really changed, the parts of a kind (an index's table and imports, a
guide's editions), the terms, in words and in the interface's language."""

import csv
import io

import pytest
import webtest
from sqlalchemy.orm import Session

from bassin_cms.auth.services import UserService
from bassin_cms.content.models import Document, Folder
from bassin_cms.content.services import ContentService
from bassin_cms.content.vocabularies import VocabularyService
from tests.conftest import PASSWORD, browser, live_app, tick
from tests.functional.test_english_staff import in_english


@pytest.fixture(scope="module")
def site(tmp_path_factory, app_settings):
    app, engine = live_app(tmp_path_factory, app_settings, "audit")
    with Session(bind=engine) as session:
        UserService(session).create("editor@example.org", PASSWORD, "editor", "Claire")
        UserService(session).create("admin@example.org", PASSWORD, "administrator", "Alice")
        content = ContentService(session)
        folder = content.create(content.root(), Folder, title="Patrimoine")
        document = content.create(folder, Document, title="Fiche pédagogique sur les corons", state="published")
        content.apply_metadata(
            document,
            {
                "publisher": "Mission Bassin Minier Nord-Pas de Calais",
                "date": (2024, None, None),
                "language": "fr",
                "summary": "Une fiche pour la classe.",
            },
        )
        session.commit()
    return app


def rows(app):
    """The log as the administrator reads it: [(action, on, details)], newest first."""
    admin = browser(app, "admin@example.org")
    page = admin.get("/admin/audit")
    out = []
    for tr in page.html.select("tbody tr"):
        cells = [" ".join(td.get_text(" ").split()) for td in tr.select("td")]
        out.append((cells[2], cells[3], cells[4]))
    return out


def test_a_licence_edit_logs_the_licence_only_and_terms_are_named(site):
    editor = browser(site, "editor@example.org")
    url = "/patrimoine/fiche-pedagogique-sur-les-corons/"
    form = editor.get(url + "@@edit").forms["deform"]
    form["rights"] = "CC BY 4.0"
    form.submit("save").follow()
    action, on, details = rows(site)[0]
    assert action == "Modification" and "Fiche pédagogique sur les corons" in on
    assert details == "Droits : — → CC BY 4.0"  # not the publisher, year or language it already had

    terms = VocabularyService(Session(bind=site.registry["dbengine"]))
    lycee = terms.by_code("level", "lycee")
    form = editor.get(url + "@@edit").forms["deform"]
    tick(form, lycee.id)
    form.submit("save").follow()
    _action, _on, details = rows(site)[0]
    assert details == f"Termes ajoutés : {lycee.label}"  # and no "body/publisher: None → ''"


def test_an_index_s_import_and_table_edit_and_a_guide_edition_are_logged(site):
    editor = browser(site, "editor@example.org")
    form = editor.get("/patrimoine/@@add/index").forms["deform"]
    form["title"] = "Index des terrils de test"
    index_url = form.submit("save").follow().request.path_url
    data = io.StringIO()
    writer = csv.writer(data, delimiter=";")
    writer.writerow(["N°", "Nom", "Communes", "EPCI", "Statut", "Surface (ha)"])
    writer.writerows([[str(n), f"Terril {n}", "Lens", "CALL", "classé", "1"] for n in (1, 2, 3)])
    form = editor.get(index_url + "@@import").forms["deform"]
    form["upload"] = webtest.Upload("terrils.csv", data.getvalue().encode(), "text/csv")
    form.submit("import")
    logged = rows(site)
    assert logged[0][0] == "Modification" and "Import CSV dans l'index : ajoutés 3" in logged[0][2]

    form = editor.get(index_url + "@@entries").forms["entries-table"]
    form["row-0-c2"] = "Terril 1 renommé"
    form["row-2-delete"] = True
    form.submit("save").follow()
    assert "Table de l'index modifiée : modifiés 1; retirés 3" in rows(site)[0][2]

    form = editor.get("/patrimoine/@@add/guide").forms["deform"]
    form["title"] = "Guide de test"
    guide_url = form.submit("save").follow().request.path_url
    form = editor.get(guide_url + "@@add-edition").forms["deform"]
    form["label"], form["date"] = "Première édition", "mars 2024"
    form.submit("save").follow()
    assert any("Nouvelle édition du guide : n° 1; intitulé Première édition" in d for _a, _o, d in rows(site)[:3])


def test_the_log_speaks_the_reader_s_language(site):
    admin = in_english(site, "admin@example.org")
    page = admin.get("/admin/audit")
    actions = {td.get_text(strip=True) for td in page.html.select("tbody tr td:nth-of-type(3)")}
    assert "Edit" in actions and "Creation" in actions and "Modification" not in actions
    assert "{" not in page.html.select_one("tbody").get_text()  # no raw Python dict
