"""An editor builds a technical guide: contacts shared between guides, chapters
with a table of contents, cited resources, two editions (the canonical page
switches to the new one, the earlier one keeps its file and a banner), the
printable version; a cited resource that goes away is flagged to editors and
hidden from visitors. On a live site, so that search sees what was saved."""

import re

import pytest
import webtest
from sqlalchemy.orm import Session

from bassin_cms.auth.services import UserService
from bassin_cms.content.models import Document, Folder
from bassin_cms.content.services import ContentService
from tests.conftest import PASSWORD, browser, fire, labelled_box, live_app, make_pdf, pdf_pages, tick_labelled

CHAPTERS = """# Le Bien et sa Valeur Universelle Exceptionnelle

Les 353 éléments inscrits en 2012 portent la VUE du Bien.

# Construire aux abords d'une cité minière

Respecter les alignements, les clôtures basses et les jardins ouvriers.

Consulter l'architecte des bâtiments de France avant le dépôt du permis."""


@pytest.fixture(scope="module")
def site(tmp_path_factory, app_settings):
    app, engine = live_app(tmp_path_factory, app_settings, "guides")
    with Session(bind=engine) as session:
        UserService(session).create("editor@example.org", PASSWORD, "editor", "Claire")
        UserService(session).create("reviewer@example.org", PASSWORD, "reviewer", "Paul")
        content = ContentService(session)
        folder = content.create(content.root(), Folder, title="Guides")
        content.create(folder, Document, title="L'habitat minier en région Nord-Pas de Calais", state="published")
        content.create(folder, Document, title="Des travaux pour ma maison des mines", state="published")
        session.commit()
    return app


def add_edition(editor, guide_url, label, date, filename, text):
    form = editor.get(guide_url + "@@add-edition").forms["deform"]
    form["label"], form["date"] = label, date
    form["changes"] = "Première édition." if "2021" in date else "Synthèse illustrée ajoutée, contacts mis à jour."
    form["upload"] = webtest.Upload(filename, make_pdf(text), "application/pdf")
    return form.submit("save").follow()


def test_an_editor_builds_a_guide_with_two_editions(site):
    editor = browser(site, "editor@example.org")

    # A contact body, entered once for every guide; a bad e-mail is refused, what was typed kept.
    form = editor.get("/admin/contacts/add").forms["deform"]
    form["name"] = "UDAP du Pas-de-Calais"
    form["address"] = "Rue de la Paix\n62000 Arras"
    form["phone"] = "03 21 00 00 00"
    form["email"] = "udap62 at culture"
    refused = form.submit("save")
    assert "Adresse de courriel non valide" in refused.text and "Rue de la Paix" in refused.text
    form = refused.forms["deform"]
    form["email"] = "udap62@culture.gouv.fr"
    listing = form.submit("save").follow()
    assert "UDAP du Pas-de-Calais" in listing.text and "udap62@culture.gouv.fr" in listing.text

    # The guide: an unknown cited resource is refused with its line, the rest kept.
    habitat = editor.get("/guides/").click("L'habitat minier en région Nord-Pas de Calais")
    habitat_permalink = re.search(r'class="permalink">([^<]+)<', habitat.text).group(1)
    adding = editor.get("/guides/@@add/guide")
    form = adding.forms["deform"]
    form["title"] = "Architecture, projets d'aménagement et Valeur Universelle Exceptionnelle"
    form["summary"] = "Prendre en compte la VUE dans les projets d'architecture et d'aménagement."
    form["chapters"] = CHAPTERS
    form["related"] = f"{habitat_permalink} — pour l'histoire des cités\n/guides/n-existe-pas/"
    tick_labelled(adding, form, "UDAP du Pas-de-Calais")
    page = form.submit("save")
    assert "ligne 2 (« /guides/n-existe-pas/ ») : aucune ressource du centre à cette adresse" in page.text
    assert "Construire aux abords d'une cité minière" in page.text  # the chapters typed are still there
    form = page.forms["deform"]
    form["related"] = (
        f"{habitat_permalink} — pour l'histoire des cités\n"
        "http://example.com/guides/des-travaux-pour-ma-maison-des-mines/"
    )
    guide = form.submit("save").follow()
    guide_url = guide.request.path_url
    assert '<a href="#chapitre-construire-aux-abords-d-une-cite-miniere">' in guide.text
    assert 'id="chapitre-construire-aux-abords-d-une-cite-miniere"' in guide.text
    assert "UDAP du Pas-de-Calais" in guide.text and "udap62@culture.gouv.fr" in guide.text
    assert "pour l'histoire des cités" in guide.text and "Des travaux pour ma maison des mines" in guide.text
    # The edit form shows the contact ticked: saved as it is, the guide keeps it
    # (unticked boxes used to drop every contact).
    editing = editor.get(guide_url + "@@edit")
    form = editing.forms["deform"]
    assert labelled_box(editing, "UDAP du Pas-de-Calais").has_attr("checked")
    assert "UDAP du Pas-de-Calais" in form.submit("save").follow().text

    # A refused edition form keeps its file: the date is fixed, the PDF is not sent again.
    form = editor.get(guide_url + "@@add-edition").forms["deform"]
    form["label"], form["date"] = "Cahier technique", "à la rentrée 2021"
    pdf = make_pdf("Cahier technique 2021")
    form["upload"] = webtest.Upload("cahier-2021.pdf", pdf, "application/pdf")
    refused = form.submit("save")
    assert (
        "Date non reconnue" in refused.text and "Fichier déjà reçu : <strong>cahier-2021.pdf</strong>" in refused.text
    )
    # Its size written as the saved page will write it (it said "1 Ko" for 2,654 bytes, then "2,6 Ko").
    from bassin_cms.files.checks import human_size

    kept = refused.html.select_one(".upload-kept").get_text(" ", strip=True)
    assert f"({human_size(len(pdf))})" in kept and len(pdf) > 1024, kept
    form = refused.forms["deform"]
    form["date"] = "septembre 2021"  # as the site writes it
    form.submit("save").follow()
    assert "cahier-2021.pdf" in editor.get(guide_url).text
    editor.get(guide_url + "@@edit-edition/1")  # and the edition can be reopened

    # Two editions: the canonical page follows the most recent one.
    first = editor.get(guide_url)
    assert "Édition en vigueur : <strong>Cahier technique</strong> (septembre 2021)" in first.text
    assert "cahier-2021.pdf" in first.text
    second = add_edition(editor, guide_url, "Édition revue", "2023-12", "guide-vue-2023.pdf", "Edition revue 2023")
    assert second.request.path_url == guide_url
    assert "Édition en vigueur : <strong>Édition revue</strong> (décembre 2023)" in second.text
    assert "guide-vue-2023.pdf" in second.text and "cahier-2021.pdf" not in second.text.split('id="editions"')[0]
    older = editor.get(guide_url + "@@edition/1")
    assert "Édition antérieure : « Cahier technique » (septembre 2021)" in older.text
    assert f'<link rel="canonical" href="{guide_url}">' in older.text
    assert f'href="{guide_url}">Voir l\'édition en vigueur' in older.text
    download = re.search(r'href="([^"]+@@download/\d+/cahier-2021\.pdf)"', older.text).group(1)
    assert pdf_pages(editor.get(download).body)[0].startswith("Cahier technique 2021")
    assert editor.get(guide_url + "@@edition/2").location == guide_url
    editor.get(guide_url + "@@edition/9", status=404)

    # Each chapter is found on its own, pointing into the guide.
    found = editor.get("/search.json", {"q": "jardins ouvriers clotures"}).json
    assert found["results"][0]["snippets"][0]["url"] == guide_url + "#chapitre-construire-aux-abords-d-une-cite-miniere"

    # The printable guide: cover, contents, chapters, contacts and cited resources.
    pages = pdf_pages(editor.get(guide_url + "@@guide.pdf").body)
    text = "\n".join(pages)
    assert "Édition revue — décembre 2023" in pages[0]
    assert "Sommaire" in pages[1] and "Construire aux abords d'une cité minière" in pages[1]
    assert "Respecter les alignements" in text and "UDAP du Pas-de-Calais" in text and "62000 Arras" in text
    assert "L'habitat minier en région Nord-Pas de Calais" in text

    # Published, then one cited resource is deleted: hidden from visitors, flagged to editors.
    reviewer = browser(site, "reviewer@example.org")
    fire(editor, guide, "submit")
    fire(reviewer, reviewer.get(guide_url), "publish")
    anonymous = browser(site)
    assert "Des travaux pour ma maison des mines" in anonymous.get(guide_url).text

    # A contact edited once shows its new details on the guide at once (a
    # visitor's kept copy included: the contact's guides changed too).
    assert "03 21 00 00 00" in anonymous.get(guide_url).text
    form = editor.get("/admin/contacts").click("UDAP du Pas-de-Calais").forms["deform"]
    form["phone"] = "03 21 99 99 99"
    form.submit("save")
    assert "03 21 99 99 99" in anonymous.get(guide_url).text
    delete = reviewer.get("/guides/des-travaux-pour-ma-maison-des-mines/@@delete")
    token = re.search(r'name="csrf_token" value="([^"]+)"', delete.text).group(1)
    reviewer.post("/guides/des-travaux-pour-ma-maison-des-mines/@@delete", {"csrf_token": token, "delete": "1"})
    public = anonymous.get(guide_url)
    assert "Des travaux pour ma maison des mines" not in public.text
    assert "Ressources citées à vérifier" not in public.text
    staff = editor.get(guide_url)
    assert "Ressources citées à vérifier" in staff.text
    assert "« Des travaux pour ma maison des mines » : <strong>supprimée</strong>" in staff.text
    assert "Des travaux pour ma maison des mines" in editor.get("/admin/liens-a-verifier").text
    # The edit form lists the deleted link as a comment, so saving again drops it.
    form = editor.get(guide_url + "@@edit").forms["deform"]
    assert "# ressource supprimée : « Des travaux pour ma maison des mines »" in form["related"].value
    form.submit("save").follow()
    assert "Ressources citées à vérifier" not in editor.get(guide_url).text
