"""The press space as a journalist finds it: /presse lists the releases and
kits newest first with their files, the press reviews by year and the press
office; its feed and its search hold the releases only, as the visitor may
see them."""

import io
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy.orm import Session

from bassin_cms.content.models import Document, Folder
from bassin_cms.content.services import ContentService
from bassin_cms.content.vocabularies import VocabularyService
from bassin_cms.files.services import FileService
from bassin_cms.guides.models import Contact
from tests.conftest import browser, live_app, make_pdf, text_of

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site(tmp_path_factory, app_settings):
    settings = dict(app_settings, **{"bassin.press_contact": "Service communication"})
    app, engine = live_app(tmp_path_factory, settings, "press")
    with Session(bind=engine) as session:
        content, vocabularies = ContentService(session), VocabularyService(session)
        files = FileService(session, app.registry["blob_storage"])
        kind = lambda code: vocabularies.by_code("kind", code)  # noqa: E731
        folder = content.create(content.root(), Folder, title="Presse")

        def add(title, code, year, month=None, **kw):
            node = content.create(
                folder, Document, title=title, kind=kind(code), date_year=year, date_month=month, **kw
            )
            return node

        odyssee = add("Communiqué et dossier de presse « ODYSSÉE »", "presse", 2023, 9, state="published")
        files.attach(odyssee, io.BytesIO(make_pdf("ODYSSÉE")), "dp-odyssee.pdf", role="main")
        add("Communiqué « 11 ans d'inscription »", "presse", 2023, 6, state="published")
        add("Dossier de presse « Bassin minier Patrimoine mondial »", "presse", 2012, state="published")
        add("Communiqué en préparation", "presse", 2024, state="draft")
        reserved = add("Communiqué réservé aux partenaires", "presse", 2024, state="published", restricted=True)
        files.attach(reserved, io.BytesIO(make_pdf("Réservé")), "dp-reserve.pdf", role="main")
        add("Panorama de presse 2015", "revue-de-presse", 2015, state="published")
        add("Panorama de presse 2023", "revue-de-presse", 2023, state="published")
        add("Rapport d'activité 2023", "rapport", 2023, state="published")
        session.add(Contact(name="Service communication", email="presse@example.org", phone="03 00 00 00 00"))
        session.commit()
    app.registry["outbox_worker"].drain()
    return app


def test_the_press_page_lists_releases_newest_first_with_files_reviews_by_year_and_the_contact(site):
    page = browser(site).get("/presse")
    releases = [a.get_text(strip=True) for a in page.html.select(".press-list .result-title")]
    assert releases == [
        "Communiqué réservé aux partenaires",  # its notice is public, as on its own page
        "Communiqué et dossier de presse « ODYSSÉE »",
        "Communiqué « 11 ans d'inscription »",
        "Dossier de presse « Bassin minier Patrimoine mondial »",
    ]
    files = page.html.select(".press-list .files a")
    assert [a.get_text(strip=True) for a in files] == ["dp-odyssee.pdf"]
    assert browser(site).get(files[0]["href"]).body.startswith(b"%PDF")
    reviews = page.html.select_one(".press-contact")
    assert [h.get_text() for h in reviews.select("h3")] == ["2023", "2015"]
    assert "Panorama de presse 2023" in text_of(page) and "Rapport d'activité" not in text_of(page)
    contact = page.html.select_one(".press-contact address")
    assert "Service communication" in contact.get_text() and contact.select_one('a[href="mailto:presse@example.org"]')
    # Reached from every page's menu, and public to a first visitor's cache.
    assert browser(site).get("/").html.select_one('a[href$="/presse"]') is not None
    assert page.headers["Cache-Control"].startswith("public") and "Set-Cookie" not in page.headers


def test_a_partners_release_shows_its_notice_to_all_and_its_files_to_partners(site):
    from bassin_cms.auth.services import UserService
    from tests.conftest import PASSWORD

    with Session(bind=site.registry["dbengine"]) as session:
        UserService(session).create("partenaire@example.org", PASSWORD, "partner", "Partenaire")
        session.commit()
    visitor_page = browser(site).get("/presse")
    assert "dp-reserve.pdf" not in visitor_page.text
    assert "Réservé aux partenaires : la notice est publique" in text_of(visitor_page)
    partner_page = browser(site, "partenaire@example.org").get("/presse")
    assert "dp-reserve.pdf" in partner_page.text and "la notice est publique" not in text_of(partner_page)


def test_the_press_feed_holds_the_public_releases_only(site):
    feed = browser(site).get("/presse/flux.atom")
    assert feed.content_type == "application/atom+xml"
    root = ET.fromstring(feed.body)
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    # Releases only, published: no draft, no press review, no other kind.
    assert sorted(titles) == [
        "Communiqué et dossier de presse « ODYSSÉE »",
        "Communiqué réservé aux partenaires",
        "Communiqué « 11 ans d'inscription »",
        "Dossier de presse « Bassin minier Patrimoine mondial »",
    ]
    page = browser(site).get("/presse")
    alternate = page.html.select_one('link[rel=alternate][type="application/atom+xml"]')
    assert alternate["href"].endswith("/presse/flux.atom")


def test_searching_within_the_releases_narrows_by_facets(site):
    page = browser(site).get("/presse")
    form = page.forms["press-search"]
    form["q"] = "ODYSSÉE"
    results = form.submit()
    assert results.request.path == "/parcourir/types/presse"
    titles = [a.get_text(strip=True) for a in results.html.select(".result-title")]
    assert titles == ["Communiqué et dossier de presse « ODYSSÉE »"]
    every = browser(site).get("/parcourir/types/presse", {"year_from": "2020"})
    years = {a.get_text(strip=True) for a in every.html.select(".result-title")}
    assert years == {
        "Communiqué réservé aux partenaires",  # found by its public notice (2024)
        "Communiqué et dossier de presse « ODYSSÉE »",
        "Communiqué « 11 ans d'inscription »",
    }
