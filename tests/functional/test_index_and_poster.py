"""An editor builds the terrils index: creates it, imports 78 rows from CSV,
finds one entry by search, prints the index, edits the table, generates a
poster for one EPCI and submits it. On a live site (real commits), so that
search sees what the editor saved."""

import csv
import io
import re

import cv2
import numpy as np
import pypdfium2
import pytest
import webtest
from sqlalchemy.orm import Session

from bassin_cms.auth.services import UserService
from bassin_cms.content.models import Folder
from bassin_cms.content.services import ContentService
from tests.conftest import PASSWORD, browser, live_app, pdf_pages

CALL_COMMUNES = ["Loos-en-Gohelle", "Liévin", "Grenay", "Mazingarbe"]
CAPH_COMMUNES = ["Wallers-Arenberg", "Denain", "Haveluy"]


def terril_rows():
    """78 entries: 1 to 76, then 74a and 101, spread over two EPCIs."""
    keys = [str(n) for n in range(1, 77)] + ["74a", "101"]
    rows = []
    for i, key in enumerate(keys):
        call = i % 3 != 0
        commune = (CALL_COMMUNES if call else CAPH_COMMUNES)[i % (4 if call else 3)]
        name = "Pointe du terril 74a" if key == "74a" else f"Terril {key} de {commune}"
        rows.append([key, name, commune, "CALL" if call else "CAPH", "classé", f"{i % 40 + 1},5"])
    return rows


def csv_bytes(rows):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["N°", "Nom", "Communes", "EPCI", "Statut", "Surface (ha)"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory, app_settings):
    app, engine = live_app(tmp_path_factory, app_settings, "kinds")
    with Session(bind=engine) as session:
        UserService(session).create("editor@example.org", PASSWORD, "editor", "Claire")
        UserService(session).create("reviewer@example.org", PASSWORD, "reviewer", "Paul")
        content = ContentService(session)
        content.create(content.root(), Folder, title="Patrimoine")
        session.commit()
    return app


def test_the_terrils_index_from_csv_to_poster(site):
    editor = browser(site, "editor@example.org")
    form = editor.get("/patrimoine/@@add/index").forms["deform"]
    form["title"] = "Index du site classé de la Chaîne des terrils"
    form["summary"] = "Les 78 terrils classés au titre des sites en 2016."
    index_page = form.submit("save").follow()
    index_url = index_page.request.path_url
    assert "0 entrées" in index_page.text and "Index" in index_page.text

    # Import: 78 good rows and three bad ones, each reported with its line.
    rows = terril_rows()
    bad = [
        ["", "Sans numéro", "Lens", "CALL", "classé", "1"],
        ["200", "Terril 200", "Lens", "CALL", "classé", "vaste"],
        ["74A", "Doublon", "Loos-en-Gohelle", "CALL", "classé", "1"],
    ]
    page = editor.get(index_url + "@@import")
    form = page.forms["deform"]
    form["upload"] = webtest.Upload("terrils.csv", csv_bytes(rows + bad), "text/csv")
    report = form.submit("import")
    assert "78 ligne(s) importée(s) : 78 ajoutée(s)" in report.text
    assert "Ligne 80 rejetée : « N° » est vide" in report.text
    assert "Ligne 81 rejetée : « Surface (ha) » : « vaste » n'est pas un nombre" in report.text
    assert "Ligne 82 rejetée : le numéro « 74A » figure déjà ligne 78" in report.text

    page = editor.get(index_url)
    assert "78 entrées" in page.text
    assert 'id="entree-74a"' in page.text and "Pointe du terril 74a" in page.text
    numbers = [th.get_text(strip=True) for th in page.html.select(".index-table tbody th")]
    assert numbers[72:77] == ["73", "74", "74a", "75", "76"] and numbers[-1] == "101"  # natural order
    # Filtered by a commune or an EPCI, sorted by a column, without JavaScript.
    form = page.forms[next(k for k, f in page.forms.items() if "filtre" in f.fields)]
    form["filtre"], form["tri"] = "caph", "c4"
    caph = form.submit()
    cells = [
        [td.get_text(strip=True) for td in tr.select("th, td")] for tr in caph.html.select(".index-table tbody tr")
    ]
    assert cells and all(row[3] == "CAPH" for row in cells) and len(cells) == 26
    assert "26 entrée(s) contiennent « caph »" in caph.text
    assert caph.html.select_one('.index-table th[aria-sort="ascending"]').get_text(strip=True) == "EPCI"

    # Search, as the editor (the index is a draft): the entry comes first, by its anchor.
    found = editor.get("/search.json", {"q": "terril 74a"}).json
    first = found["results"][0]
    assert first["title"] == "Index du site classé de la Chaîne des terrils"
    assert first["snippets"][0]["url"].endswith("#entree-74a")
    assert first["snippets"][0]["title"] == "Entrée 74a — Pointe du terril 74a"
    # Its text says what its title does not: the other cells, not the title again.
    assert first["snippets"][0]["text"].startswith("Loos-en-Gohelle CALL classé")
    html = editor.get("/search", {"q": "terril 74a"})
    assert 'href="http://example.com/patrimoine/index-du-site-classe-de-la-chaine-des-terrils/#entree-74a"' in html.text

    # The printable index: title page, then the table; an edit gives a new PDF.
    pdf = editor.get(index_url + "@@index.pdf")
    pages = pdf_pages(pdf.body)
    assert len(pages) >= 3 and "78 entrée(s)" in pages[0]
    assert all("Surface (ha)" in p for p in pages[1:])
    assert re.search(r"Pointe du\s+terril 74a", "".join(pages))
    assert editor.get(index_url + "@@index.pdf", headers={"If-None-Match": pdf.etag}, status=304)

    table = editor.get(index_url + "@@entries")
    form = table.forms["entries-table"]
    assert form["row-0-c1"].value == "1" and form["row-77-c1"].value == "101"
    form["row-0-c2"] = "Terril 1 de Wallers (renommé)"
    form["row-1-delete"] = True
    form["row-2-c1"] = "74a"  # a duplicate: refused, nothing saved, what was typed kept
    refused = form.submit("save")
    assert "Le tableau n'a pas été enregistré" in refused.text
    # The table is in natural order (1, 2 … 74, 74a, 75, 76, 101): 74a is line 75.
    assert "Ligne 75 : le numéro « 74a » est déjà celui de la ligne 3" in refused.text
    assert 'value="Terril 1 de Wallers (renommé)"' in refused.text
    form = refused.forms["entries-table"]
    form["row-2-c1"] = "3"
    saved = form.submit("save").follow()
    assert "77 entrées" in saved.text and "Terril 1 de Wallers (renommé)" in saved.text
    new_pdf = editor.get(index_url + "@@index.pdf")
    assert new_pdf.etag != pdf.etag and "renommé" in "".join(pdf_pages(new_pdf.body))

    exported = editor.get(index_url + "@@entrees.csv")
    lines = list(csv.reader(io.StringIO(exported.body.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == ["N°", "Nom", "Communes", "EPCI", "Statut", "Surface (ha)"] and len(lines) == 78

    # A poster for the CALL: a draft with one A2 page listing the CALL's entries only.
    page = editor.get(index_url + "@@affiche")
    form = page.forms["deform"]
    call = next(value for value, _selected, label in form["territory"].options if "(CALL)" in label)
    form["territory"] = call
    form["paper"] = "A2"
    poster = form.submit("generate").follow()
    assert "Affiche créée en brouillon" in poster.text
    assert "A2, portrait (420 × 594 mm)" in poster.text and "Brouillon" in poster.text
    download = re.search(r'href="([^"]+@@download/[^"]+)"', poster.text).group(1)
    pdf = editor.get(download)
    pages = pdf_pages(pdf.body)
    assert len(pages) == 1
    call_keys = [r[0] for r in rows[1:] if r[3] == "CALL" and r[0] != "2"]
    assert "Pointe du terril 74a" in pages[0] and "Denain" not in pages[0] and "Wallers" not in pages[0]
    assert len(re.findall(r"Communes :", pages[0])) == len(call_keys)
    # its QR code leads to the poster's permanent link
    document = pypdfium2.PdfDocument(pdf.body)
    decoded = ""
    for scale in (1.2, 2, 3):  # OpenCV's detector misses some codes at one size, finds them at another
        image = np.array(document[0].render(scale=scale).to_pil().convert("L"))
        decoded = cv2.QRCodeDetector().detectAndDecode(image)[0]
        if decoded:
            break
    document.close()
    assert decoded.startswith("http://example.com/r/")
    assert editor.get(decoded).follow().request.path_url == poster.request.path_url
    preview = editor.get(poster.request.path_url + "@@preview.jpg")
    assert preview.content_type == "image/jpeg" and preview.body[:2] == b"\xff\xd8"

    submit = re.search(r'action="([^"]+@@transition/submit)"', poster.text).group(1)
    token = re.search(r'name="csrf_token" value="([^"]+)"', poster.text).group(1)
    submitted = editor.post(submit, {"csrf_token": token, "confirm": "1"}).follow()
    assert "En validation" in submitted.text or "en validation" in submitted.text

    # The public sees neither the draft index nor its table tools.
    anonymous = browser(site)
    assert anonymous.get(index_url, status=(302, 303, 403)).status_int in (302, 303, 403)
    assert anonymous.get("/search.json", {"q": "terril 74a"}).json["total"] == 0
    assert anonymous.get(index_url + "@@entries").status_int in (302, 303)


def test_the_table_editor_and_import_refuse_bad_input_without_losing_it(site):
    editor = browser(site, "editor@example.org")
    form = editor.get("/patrimoine/@@add/index").forms["deform"]
    form["title"] = "Index des cités"
    form["columns"] = "Code"
    refused = form.submit("save")
    assert "au moins deux colonnes" in refused.text and 'value="Index des cités"' in refused.text
    form = refused.forms["deform"]
    form["columns"] = "Code\nNom\nLogements : nombre"
    index_url = form.submit("save").follow().request.path_url

    form = editor.get(index_url + "@@import").forms["deform"]
    form["upload"] = webtest.Upload("cites.pdf", b"%PDF-1.4 not really", "application/pdf")
    refused = form.submit("import")
    assert "n'est pas un CSV" in refused.text or "ne correspond pas" in refused.text
    form = editor.get(index_url + "@@import").forms["deform"]
    form["upload"] = webtest.Upload("cites.csv", "Nom;Logements\nCité 9;12\n".encode(), "text/csv")
    refused = form.submit("import", status=400)  # refused by a rule: the form again, status 400
    assert "Colonnes attendues : Code, Nom, Logements" in refused.text

    table = editor.get(index_url + "@@entries")
    form = table.forms["entries-table"]
    form["row-0-c1"], form["row-0-c2"], form["row-0-c3"] = "C9", "Cité du 9", "beaucoup"
    more = form.submit("more")
    assert 'value="beaucoup"' in more.text and 'name="row-12-c1"' in more.text
    refused = more.forms["entries-table"].submit("save")
    assert "« Logements » : « beaucoup » n'est pas un nombre" in refused.text
    assert 'aria-invalid="true"' in refused.text


def test_a_restricted_index_shows_its_notice_but_not_its_entries(testapp, dbsession):
    from bassin_cms.indexes.models import IndexResource
    from bassin_cms.indexes.services import IndexService, merge_columns, parse_columns

    content = ContentService(dbsession)
    index = content.create(
        content.root(),
        IndexResource,
        title="Index réservé",
        summary="Notice publique.",
        state="published",
        restricted=True,
        columns=merge_columns([], parse_columns("N°\nNom")),
    )
    IndexService(dbsession).import_csv(index, "N°;Nom\nT1;Terril secret\n".encode())
    dbsession.flush()
    page = testapp.get(f"/{index.name}/")
    assert "Notice publique." in page.text and "réservés aux partenaires" in page.text
    assert "Terril secret" not in page.text and "entree-t1" not in page.text
    for view in ("@@entrees.csv", "@@index.pdf"):
        assert testapp.get(f"/{index.name}/{view}").status_int == 303  # to the login page


def test_a_poster_added_by_hand_keeps_its_file_across_a_format_error(testapp, dbsession, editor):
    from bassin_cms.content.models import Document
    from bassin_cms.content.vocabularies import VocabularyService
    from tests.conftest import make_pdf

    content = ContentService(dbsession)
    folder = content.create(content.root(), Folder, title="Affiches")
    guide = content.create(
        folder,
        Document,
        title="Guide VUE",
        state="published",
        kind=VocabularyService(dbsession).by_code("kind", "guide"),
    )
    dbsession.flush()
    form = testapp.get("/affiches/@@add/poster").forms["deform"]
    form["title"] = "Affiche de synthèse du guide VUE"
    form["paper"] = "custom"
    form["width_mm"] = "500"
    form["print_run"] = "500"
    form["summarises"] = str(guide.id)
    form.set(
        "upload",
        webtest.Upload("affiche-vue.pdf", make_pdf("Valeur universelle exceptionnelle"), "application/pdf"),
        index=0,
    )
    refused = form.submit("save")
    assert "indiquez la largeur et la hauteur" in refused.text
    assert "Fichier déjà reçu : <strong>affiche-vue.pdf</strong>" in refused.text
    form = refused.forms["deform"]
    form["height_mm"] = "700"
    poster = form.submit("save").follow()
    assert "Format personnalisé, portrait (500 × 700 mm)" in poster.text
    assert "500 exemplaires" in poster.text
    assert "Synthèse du guide" in poster.text and "Guide VUE" in poster.text
    assert "Poster / affiche" in poster.text  # the kind is set by default
    preview = testapp.get(poster.request.path_url + "@@preview.jpg")
    assert preview.content_type == "image/jpeg"
    edit = testapp.get(poster.request.path_url + "@@edit").forms["deform"]
    assert edit["paper"].value == "custom" and edit["height_mm"].value == "700"
    assert edit["summarises"].value == str(guide.id)


def test_two_editors_saving_the_same_table_the_second_is_told_and_keeps_what_they_typed(site):
    claire = browser(site, "editor@example.org")
    form = claire.get("/patrimoine/@@add/index").forms["deform"]
    form["title"] = "Index des chevalements"
    form["columns"] = "N°\nNom"
    url = form.submit("save").follow().request.path_url
    form = claire.get(url + "@@import").forms["deform"]
    form["upload"] = webtest.Upload("c.csv", "N°;Nom\n1;Chevalement de Oignies\n".encode(), "text/csv")
    form.submit("import")

    paul = browser(site, "reviewer@example.org")
    mine, theirs = (
        claire.get(url + "@@entries").forms["entries-table"],
        paul.get(url + "@@entries").forms["entries-table"],
    )
    theirs["row-0-c2"] = "Chevalement du 9-9bis"  # a value changes, no entry added or removed
    theirs.submit("save").follow()
    assert "Chevalement du 9-9bis" in claire.get("/search", {"q": "9-9bis"}).text

    mine["row-0-c2"] = "Chevalement de la fosse 9"
    refused = mine.submit("save")
    assert "Quelqu'un a enregistré ce tableau pendant que vous le modifiiez" in refused.text
    assert 'value="Chevalement de la fosse 9"' in refused.text
    assert "Chevalement du 9-9bis" in claire.get(url).text
    saved = refused.forms["entries-table"].submit("save").follow()
    assert "Chevalement de la fosse 9" in saved.text and "9-9bis" not in saved.text
