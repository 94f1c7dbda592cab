"""An editor builds the D'A dossier: the feature's notice, two articles with
verbatims and captioned images, the PDF; publishing waits for every credit;
a visitor without partner rights reads the notice and the summaries, not the
restricted text. On a live site, so that search sees what was saved."""

import io
import re

import pytest
import webtest
from PIL import Image
from sqlalchemy.orm import Session

from bassin_cms.auth.services import UserService
from bassin_cms.content.models import Folder
from bassin_cms.content.services import ContentService
from tests.conftest import PASSWORD, browser, live_app, pdf_pages

TITLE = "Le Bassin minier du Nord-Pas de Calais : l'héritage comme ressource"


def png(colour=(31, 95, 122), size=(320, 200)):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def site(tmp_path_factory, app_settings):
    app, engine = live_app(tmp_path_factory, app_settings, "features")
    with Session(bind=engine) as session:
        UserService(session).create("editor@example.org", PASSWORD, "editor", "Claire")
        UserService(session).create("reviewer@example.org", PASSWORD, "reviewer", "Paul")
        UserService(session).create("partner@example.org", PASSWORD, "partner", "Inès")
        content = ContentService(session)
        content.create(content.root(), Folder, title="Revues")
        session.commit()
    return app


def fire(testapp, url, transition, status=None):
    page = testapp.get(url + f"@@transition/{transition}")
    return page.forms["transition"].submit("confirm", status=status)


def test_an_editor_builds_the_d_a_dossier(site):
    editor = browser(site, "editor@example.org")
    form = editor.get("/revues/@@add/feature").forms["deform"]
    form["title"] = TITLE
    form["summary"] = "Dossier issu de la journée du 24 mai 2022 à la Cité de l'architecture et du patrimoine."
    form["review_title"], form["issue_number"], form["pages"] = "D'A — D'Architectures", "312", "54-105"
    form.set("date", "2023-11", index=0)
    form["contributors"] = (
        "Mission Bassin Minier (compilation)\nAtelier d'architecture Philippe Prost (rédaction)\nIPRAUS (relecture)"
    )
    form["rights"] = "© D'A, 2023 : texte intégral réservé aux partenaires."
    form["restricted"] = True
    feature = form.submit("save").follow()
    url = feature.request.path_url
    assert "D'A — D'Architectures</cite> n°312" in feature.text and "54-105" in feature.text

    # First article: a verbatim and an image whose credit is still awaited.
    form = editor.get(url + "@@article").forms["deform"]
    form["title"] = "L'héritage comme ressource"
    form["authors"] = "Mission Bassin Minier"
    form["summary"] = "Dix ans après l'inscription, ce que le patrimoine apporte à la transition."
    form["body"] = "Texte provisoire de démonstration : la transition juste s'appuie sur les cités minières."
    form.set("quotation", "Le patrimoine est une ressource, pas une contrainte.", index=0)
    form.set("speaker", "Une élue du territoire", index=0)
    form.set("role", "maire", index=0)
    form.set("caption", "La cité des Électriciens à Bruay-la-Buissière", index=0)
    form["upload"] = webtest.Upload("electriciens.png", png(), "image/png")
    form["title"] = ""
    refused = form.submit("save")  # the title is missing: the picture is kept, not sent again
    assert "Fichier déjà reçu : <strong>electriciens.png</strong>" in refused.text
    form = refused.forms["deform"]
    form["title"] = "L'héritage comme ressource"
    saved = form.submit("save").follow()
    assert "1 image(s) sans crédit" in saved.text
    assert "Crédits manquants" in saved.text

    # Second article: a broken image is refused, what was typed is kept.
    form = editor.get(url + "@@article").forms["deform"]
    form["title"] = "Les terrils, paysages de la transition"
    form["authors"] = "Atelier d'architecture Philippe Prost"
    form["summary"] = "Les terrils comme paysages et comme espaces de nature."
    form["body"] = "Texte provisoire de démonstration : le belvédère du terril jumeau de Loos-en-Gohelle."
    form.set("caption", "Les terrils jumeaux du 11/19", index=0)
    form.set("credit", "Mission Bassin Minier", index=0)
    form["upload"] = webtest.Upload("terrils.png", b"\x89PNG\r\n\x1a\n not really", "image/png")
    refused = form.submit("save", status=400)  # refused by a rule: the form again, status 400
    assert "n'est pas une image JPEG ou PNG lisible" in refused.text
    assert "belvédère du terril jumeau" in refused.text and "Les terrils jumeaux du 11/19" in refused.text
    form = refused.forms["deform"]
    form["upload"] = webtest.Upload("terrils.png", png((90, 90, 90)), "image/png")
    form.submit("save").follow()

    # Published only once every image is credited.
    fire(editor, url, "submit")
    reviewer = browser(site, "reviewer@example.org")
    refused = fire(reviewer, url, "publish", status=400)  # refused by a rule
    assert (
        "Publication impossible : l'image « La cité des Électriciens à Bruay-la-Buissière » de l'article "
        "« L'héritage comme ressource » n'a pas de crédit"
    ) in refused.text
    page = reviewer.get(url + "@@articles")
    form = page.click("^L'héritage comme ressource$").forms["deform"]
    form.set("credit", "Guillaume Theys - Mission Bassin Minier", index=0)
    form.submit("save").follow()
    assert 'État : <strong class="state-badge state-published">' in fire(reviewer, url, "publish").follow().text

    # Reordered: the terrils article first.
    page = reviewer.get(url + "@@articles")
    next(f for f in page.forms.values() if "up" in f.fields).submit("up")  # the second article's
    page = reviewer.get(url)
    assert page.text.index('href="#article-les-terrils-paysages-de-la-transition"') < page.text.index(
        'href="#article-l-heritage-comme-ressource"'
    )
    assert "<blockquote><p>Le patrimoine est une ressource, pas une contrainte.</p></blockquote>" in page.text
    assert "© Guillaume Theys - Mission Bassin Minier" in page.text
    image_url = re.search(r'<img src="([^"]+electriciens\.png)"', page.text).group(1)
    assert reviewer.get(image_url).content_type == "image/png"

    # The PDF: cover, contents, one article per page with its verbatim and credited images.
    pages = pdf_pages(reviewer.get(url + "@@dossier.pdf").body)
    assert len(pages) == 4
    assert "D'A — D'Architectures n°312, p. 54-105 — novembre 2023" in pages[0]
    assert "compilation : Mission Bassin Minier" in pages[0]
    assert "Sommaire" in pages[1] and "Les terrils, paysages de la transition" in pages[1]
    assert "© Mission Bassin Minier" in pages[2]
    assert "« Le patrimoine est une ressource, pas une contrainte. »" in pages[3]
    assert "— Une élue du territoire, maire" in pages[3] and "© Guillaume Theys" in pages[3]

    # A visitor without partner rights: the notice and the summaries, not the text.
    anonymous = browser(site)
    public = anonymous.get(url)
    assert "Dix ans après l'inscription" in public.text and "Les terrils comme paysages" in public.text
    assert "réservés aux partenaires" in public.text
    assert "Texte provisoire de démonstration" not in public.text
    assert "Le patrimoine est une ressource" not in public.text and "<img src" not in public.text
    assert anonymous.get(url + "@@dossier.pdf").status_int in (302, 303)
    assert anonymous.get(image_url).status_int in (302, 303)
    # A partner reads it all; each article is found on its own.
    partner = browser(site, "partner@example.org")
    assert "Texte provisoire de démonstration" in partner.get(url).text
    found = partner.get("/search.json", {"q": "belvedere terril jumeau"}).json
    assert found["results"][0]["snippets"][0]["url"] == url + "#article-les-terrils-paysages-de-la-transition"
    # A visitor finds the dossier by its notice (an article's title says
    # "terrils"), never by its text: the words only the text holds stay missing.
    seen = anonymous.get("/search.json", {"q": "belvedere terril jumeau"}).json["results"]
    assert [(r["reserved"], r["missing"], r["snippets"]) for r in seen] == [(True, ["belvedere", "jumeau"], [])]

    # Removing an article asks first, then the page and the PDF lose it.
    articles = reviewer.get(url + "@@articles")
    link = re.search(
        r'href="([^"]+retirer=\d+)#confirm">Retirer<span class="visually-hidden"> « Les terrils', articles.text
    ).group(1)
    confirm = reviewer.get(link.replace("&amp;", "&"))
    assert "Retirer l'article « Les terrils, paysages de la transition » du dossier ?" in confirm.text
    assert "Les terrils, paysages de la transition" in reviewer.get(url).text
    confirm.forms["confirm"].submit("delete").follow()
    assert "Les terrils, paysages de la transition" not in reviewer.get(url).text
    assert len(pdf_pages(reviewer.get(url + "@@dossier.pdf").body)) == 3
