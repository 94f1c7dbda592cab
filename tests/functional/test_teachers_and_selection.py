"""A teacher finds classroom material, gathers a selection, downloads it as a
ZIP and a bibliography, and prints a resource sheet."""

import io
import re
import zipfile

import cv2
import numpy as np
import pypdfium2
import pytest
import webtest

from bassin_cms.content.models import Document, Folder
from bassin_cms.content.services import ContentService
from bassin_cms.content.vocabularies import VocabularyService
from bassin_cms.files.services import FileService
from tests.conftest import login, make_pdf, pdf_pages


def pdf_text(body):
    return "".join(pdf_pages(body))


@pytest.fixture
def classroom(app, dbsession):
    content, vocabularies = ContentService(dbsession), VocabularyService(dbsession)
    files = FileService(dbsession, app.registry["blob_storage"])
    term = vocabularies.by_code
    folder = content.create(content.root(), Folder, title="Pédagogie")

    def add(title, terms, kind=None, state="published", pages=2, **kw):
        node = content.create(
            folder,
            Document,
            title=title,
            state=state,
            kind=term("kind", kind) if kind else None,
            rights="Licence Ouverte 2.0",
            summary=f"Résumé de {title}.",
            **kw,
        )
        node.terms = [term(v, c) for v, c in terms]
        files.attach(node, io.BytesIO(make_pdf(title, pages=pages)), "support.pdf", role="main")
        return node

    college_hg = [("level", "college"), ("subject", "histoire-geographie")]
    nodes = {
        "kit": add(
            "Kit pédagogique : la vie dans les cités minières",
            college_hg,
            kind="pedagogique",
            pages=3,
            duration="2 séances de 55 min",
            date_year=2019,
        ),
        "etude": add("Les chevalements, repères du paysage", college_hg, date_year=2023),
        "carte": add("Carte des terrils pour la classe", college_hg, date_year=2021),
        "lycee": add("Le Bassin minier en HGGSP", [("level", "lycee"), ("subject", "hggsp")]),
        "partners": add("Dossier réservé aux partenaires", college_hg, restricted=True),
        "draft": add("Brouillon de séquence", college_hg, state="draft"),
    }
    dbsession.flush()
    files.process_pending()  # the worker's file work (page counts), in this session
    return nodes


def visitor(testapp):
    return webtest.TestApp(
        testapp.app,
        extra_environ=dict(
            testapp.extra_environ, REMOTE_ADDR="192.0.2.30", HTTP_USER_AGENT="Mozilla/5.0 Firefox/130.0"
        ),
    )


def test_teachers_space_filters_by_level_and_subject_kits_first(testapp, classroom):
    page = visitor(testapp).get("/enseignants", {"niveau": "college", "discipline": "histoire-geographie"})
    titles = [a.get_text(strip=True) for a in page.html.select(".teachers-list .result-title")]
    assert titles[0] == "Kit pédagogique : la vie dans les cités minières"
    assert set(titles) == {
        "Kit pédagogique : la vie dans les cités minières",
        "Les chevalements, repères du paysage",
        "Carte des terrils pour la classe",
        "Dossier réservé aux partenaires",
    }
    first = page.html.select_one(".teachers-list .result")
    assert "2 séances de 55 min" in first.text
    assert re.search(r"PDF, [\d,.]+ (ko|Ko|kB|o|octets).*3 pages", first.select_one(".files").get_text(" ", strip=True))
    # The restricted resource shows its notice, not its files.
    partners = next(li for li in page.html.select(".teachers-list .result") if "partenaires" in li.text)
    assert partners.select_one(".files") is None
    lycee = visitor(testapp).get("/enseignants", {"niveau": "lycee"})
    assert [a.get_text(strip=True) for a in lycee.html.select(".teachers-list .result-title")] == [
        "Le Bassin minier en HGGSP"
    ]
    unknown = visitor(testapp).get("/enseignants", {"niveau": "<b>maternelle</b>"})
    assert "Niveau inconnu" in unknown.text and "<b>maternelle</b>" not in unknown.text


def add_to_selection(teacher, page, title):
    item = next(li for li in page.html.select(".teachers-list .result") if title in li.text)
    form_id = item.select_one("form.selection-form")
    form = next(
        f
        for f in page.forms.values()
        if f.action.endswith("/selection/ajouter")
        and f["node_id"].value == form_id.select_one("input[name=node_id]")["value"]
    )
    return form.submit().follow()


def test_selection_zip_bibliography_and_what_became_unpublished(testapp, dbsession, classroom, make_user):
    teacher = visitor(testapp)
    page = teacher.get("/enseignants", {"niveau": "college", "discipline": "histoire-geographie"})
    for title in ("Kit pédagogique", "Les chevalements", "Dossier réservé aux partenaires"):
        page = add_to_selection(teacher, page, title)
    assert "est dans votre sélection (3)" in page.text
    selection = teacher.get("/selection")
    assert len(selection.html.select(".selection-list > li")) == 3

    archive = teacher.get("/selection/ma-selection.zip")
    assert archive.content_type == "application/zip"
    with zipfile.ZipFile(io.BytesIO(archive.body)) as zipped:
        names = zipped.namelist()
        readme = zipped.read("LISEZMOI.txt").decode("utf-8")
        kit = zipped.read("kit-pedagogique-la-vie-dans-les-cites-minieres.pdf")
    assert sorted(names) == [
        "LISEZMOI.txt",
        "kit-pedagogique-la-vie-dans-les-cites-minieres.pdf",
        "les-chevalements-reperes-du-paysage.pdf",
    ]  # no partners-only file
    assert kit.startswith(b"%PDF") and "Kit pédagogique" in pdf_text(kit)
    assert "Dossier réservé aux partenaires" in readme and "Licence Ouverte 2.0" in readme
    assert f"/r/{classroom['kit'].shortid}" in readme

    # The administrator sees those downloads at once.
    admin = webtest.TestApp(testapp.app, extra_environ=testapp.extra_environ)
    make_user("administrator", email="admin@example.org")
    login(admin, "admin@example.org")
    stats = admin.get("/admin/statistiques")
    row = next(tr for tr in stats.html.select("table.data-table tbody tr") if "Kit pédagogique" in tr.text)
    assert [td.get_text(strip=True) for td in row.select("td.number")] == ["0", "1"]
    assert "Kit pédagogique" in admin.get("/admin/statistiques.csv").body.decode("utf-8-sig")

    bibliography = pdf_text(teacher.get("/selection/bibliographie.pdf").body)
    assert "Les chevalements, repères du paysage" in bibliography
    assert f"/r/{classroom['etude'].shortid}" in bibliography
    # Each reference as French libraries write it (ISO 690): medium, date
    # consulted, address.
    assert "[en ligne]" in bibliography and "[Consulté le" in bibliography
    assert "Disponible à l'adresse" in bibliography

    # A resource retracted meanwhile is left out, and the visitor is told.
    classroom["etude"].state = "draft"
    dbsession.flush()
    selection = teacher.get("/selection")
    assert "1 ressource(s) de votre sélection ne sont plus disponibles" in selection.text
    with zipfile.ZipFile(io.BytesIO(teacher.get("/selection/ma-selection.zip").body)) as zipped:
        assert "les-chevalements-reperes-du-paysage.pdf" not in zipped.namelist()
        assert "Les chevalements" not in zipped.read("LISEZMOI.txt").decode("utf-8")


def test_adding_what_one_may_not_see_is_refused(testapp, classroom):
    teacher = visitor(testapp)
    page = teacher.get("/selection")
    answer = teacher.post(
        "/selection/ajouter", {"node_id": str(classroom["draft"].id), "came_from": "https://evil.example/"}
    ).follow()
    assert answer.request.path == "/selection"
    assert "n'est pas disponible" in answer.text
    # Sent from another site (its Origin): refused, nothing added.
    forged = teacher.post(
        "/selection/ajouter", {"node_id": "1"}, headers={"Origin": "https://evil.example"}, status=400
    )
    assert "doit être envoyée depuis une page du centre de ressources" in forged.text
    assert "Votre sélection est vide" in page.text


def test_resource_sheet_is_one_page_with_permalink_and_regenerated_on_change(testapp, dbsession, classroom):
    teacher = visitor(testapp)
    kit = classroom["kit"]
    sheet = teacher.get(f"/r/{kit.shortid}/fiche.pdf").follow()
    assert sheet.content_type == "application/pdf"
    document = pypdfium2.PdfDocument(sheet.body)
    assert len(document) == 1
    document.close()
    text = pdf_text(sheet.body)
    for expected in (
        "Kit pédagogique : la vie dans les cités minières",
        "Licence Ouverte 2.0",
        "Collège",
        "2 séances de 55 min",
        f"/r/{kit.shortid}",
    ):
        assert expected in text, expected
    # Scanned as a phone would: the QR code on the page leads to the resource.
    page_image = pypdfium2.PdfDocument(sheet.body)[0].render(scale=3).to_pil().convert("L")
    scanned, _points, _ = cv2.QRCodeDetector().detectAndDecode(np.array(page_image))
    assert scanned == f"http://example.com/r/{kit.shortid}"
    assert teacher.get(scanned).follow().html.select_one("h1").get_text(strip=True) == kit.title
    again = teacher.get(sheet.request.path, headers={"If-None-Match": sheet.etag})
    assert again.status_int == 304
    kit.title = "Kit pédagogique : les cités minières (2e édition)"
    dbsession.flush()
    changed = teacher.get(sheet.request.path, headers={"If-None-Match": sheet.etag})
    assert changed.status_int == 200 and "2e édition" in pdf_text(changed.body)
    # An unpublished resource has no public sheet: the visitor is asked to log in.
    refused = teacher.get(f"/r/{classroom['draft'].shortid}/fiche.pdf", expect_errors=True)
    assert refused.status_int == 303 and "/login" in refused.location
