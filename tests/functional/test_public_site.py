"""The public site as a visitor finds it: the home page's entry points and
counts, browsing by theme, territory, kind and audience, the accessibility
statement, schema.org JSON-LD on resource pages and the read-only JSON API.
None of them shows what the public may not open."""

import io
import json
import re
from urllib.parse import quote

import pytest
import webtest
from sqlalchemy.orm import Session

from bassin_cms.auth.services import UserService
from bassin_cms.content.models import Document, Folder
from bassin_cms.content.services import ContentService
from bassin_cms.content.vocabularies import VocabularyService
from bassin_cms.files.services import FileService
from bassin_cms.search.indexing import Indexer
from bassin_cms.statistics.services import StatisticsService
from tests.conftest import PASSWORD, browser, live_app, make_pdf, text_of

CITES = [f"Cité minière n° {n:02d} : étude de réhabilitation" for n in range(1, 12)]


@pytest.fixture(scope="module")
def site(tmp_path_factory, app_settings):
    app, engine = live_app(tmp_path_factory, app_settings, "portal")
    with Session(bind=engine) as session:
        content, vocabularies = ContentService(session), VocabularyService(session)
        files = FileService(session, app.registry["blob_storage"])
        folder = content.create(content.root(), Folder, title="Ressources")

        def term(vocabulary, code):
            return vocabularies.by_code(vocabulary, code).id

        # A commune's resource is counted under its EPCI; a sub-theme's under its theme.
        guide = content.create(
            folder, Document, title="Guide de la Chaîne des terrils à Loos-en-Gohelle", state="published"
        )
        content.apply_metadata(
            guide,
            {
                "summary": "Le terril 74a et ses voisins.",
                "date": (2024, 3, None),
                "themes": [term("theme", "terrils")],
                "territories": [term("territory", "commune-loos-en-gohelle")],
                "audiences": [term("audience", "elus")],
                "kind": term("kind", "guide"),
                "creators": [("Mission Bassin Minier", "rédaction")],
            },
        )
        files.attach(guide, io.BytesIO(make_pdf("Le terril 74a culmine à 186 mètres.")), "terrils.pdf", role="main")
        for n, title in enumerate(CITES):
            cite = content.create(folder, Document, title=title, state="published")
            content.apply_metadata(
                cite,
                {
                    "themes": [term("theme", "cites-minieres")],
                    "date": (2010 + n, None, None),
                    "kind": term("kind", "etude"),
                },
            )
        draft = content.create(folder, Document, title="Brouillon sur Liévin", state="draft")
        content.apply_metadata(
            draft, {"territories": [term("territory", "call")], "themes": [term("theme", "terrils")]}
        )
        secret = content.create(
            folder, Document, title="Dossier réservé aux partenaires", state="published", restricted=True
        )
        content.apply_metadata(
            secret, {"summary": "Notice publique du dossier.", "kind": term("kind", "dossier-revue")}
        )
        files.attach(secret, io.BytesIO(make_pdf("Texte réservé")), "reserve.pdf", role="main")
        UserService(session).create("editor@example.org", PASSWORD, "editor", "Claire")
        session.commit()
        ids = {
            "guide": guide.shortid,
            "draft": draft.shortid,
            "secret": secret.shortid,
            "guide_path": f"/ressources/{guide.name}/",
            "secret_path": f"/ressources/{secret.name}/",
        }
    Indexer(app.registry).rebuild()
    return app, ids


def test_the_home_page_leads_by_theme_territory_and_audience(site):
    app, ids = site
    visitor = browser(app)
    home = visitor.get("/")
    main = home.html.find("main")
    assert main.find("h1").get_text(strip=True) == "Centre de ressources de la Mission Bassin Minier"
    assert home.html.find("form", role="search", class_="home-search").find("input", attrs={"name": "q"})
    latest = [
        a.get_text(strip=True) for a in main.find(id="latest-title").find_parent("section").find("ul").find_all("a")
    ]
    # The six newest public ones (the draft, newer, is not one of them).
    assert latest == ["Dossier réservé aux partenaires"] + CITES[::-1][:5]
    assert "Brouillon sur Liévin" not in text_of(home)

    def tile(section_id, label):
        section = main.find(id=section_id).find_parent("section")
        link = next(a for a in section.find_all("a") if a.get_text(" ", strip=True).startswith(label))
        return link["href"], int(link.find(class_="count").get_text().split()[0])

    # The guide is filed under a commune and a sub-theme; the draft counts nowhere.
    href, count = tile("territories-title", "Communauté d'agglomération de Lens-Liévin")
    assert (href, count) == ("http://example.com/parcourir/territoires/call", 1)
    assert tile("themes-title", "Paysage et environnement")[1] == 1
    assert tile("themes-title", "Urbanisme et habitat")[1] == len(CITES)
    assert tile("audiences-title", "Élus")[1] == 1
    # Every intercommunality is an entry point, even one with nothing yet.
    assert tile("territories-title", "Douaisis Agglo")[1] == 0

    # Two visitors open the guide: it becomes the most consulted.
    assert "Pas encore de consultations" in text_of(home)
    for address in ("192.0.2.1", "198.51.100.1"):
        visitor.get(
            ids["guide_path"], headers={"User-Agent": "Mozilla/5.0 Firefox/130"}, extra_environ={"REMOTE_ADDR": address}
        )
    app.registry["page_cache"].entries.clear()  # an hour later: the home page is kept by the hour
    consulted = visitor.get("/").html.find(id="consulted-title").find_parent("section")
    assert "Guide de la Chaîne des terrils à Loos-en-Gohelle" in consulted.get_text()
    assert "2 consultations en 90 jours" in consulted.get_text()


def test_browse_pages_count_sort_and_paginate(site):
    app, ids = site
    visitor = browser(app)
    overview = visitor.get("/parcourir")
    themes = overview.html.find(id="themes")
    assert "Cités minières (11)" in text_of(overview)
    assert (
        themes.find("a", string="Urbanisme et habitat")["href"]
        == "http://example.com/parcourir/themes/urbanisme-habitat"
    )

    listing = visitor.get("/parcourir/themes/urbanisme-habitat")
    assert listing.html.find("h1").get_text(strip=True) == "Urbanisme et habitat"
    assert f"{len(CITES)} ressources" in text_of(listing)
    titles = [a.get_text(strip=True) for a in listing.html.select(".result-title")]
    assert titles[0] == CITES[-1]  # newest first (2020)
    assert len(titles) == 10
    second = listing.click(description="Suivante", href=r"page=2")
    assert [a.get_text(strip=True) for a in second.html.select(".result-title")] == [CITES[0]]
    by_title = visitor.get("/parcourir/themes/urbanisme-habitat", {"sort": "title"})
    assert [a.get_text(strip=True) for a in by_title.html.select(".result-title")][:2] == CITES[:2]
    # Facet links stay on the browse page; the breadcrumbs lead back up.
    kind_link = listing.html.find("aside").find("a", string="Étude")
    assert kind_link["href"].startswith("http://example.com/parcourir/themes/urbanisme-habitat?")
    crumbs = [li.get_text(strip=True) for li in listing.html.find("nav", class_="breadcrumbs").find_all("li")]
    assert crumbs == ["Accueil", "Parcourir", "Thèmes", "Urbanisme et habitat"]

    territory = visitor.get("/parcourir/territoires/call")
    assert [a.get_text(strip=True) for a in territory.html.select(".result-title")] == [
        "Guide de la Chaîne des terrils à Loos-en-Gohelle"
    ]
    # A search within the browse page keeps its filter.
    within = visitor.get("/parcourir/territoires/call", {"q": "terril"})
    assert within.html.select(".result-title")[0].get_text(strip=True).startswith("Guide de la Chaîne")
    assert visitor.get("/parcourir/territoires/call", {"q": "réhabilitation"}).html.select(".result-title") == []

    assert visitor.get("/parcourir/planetes", status=404)
    assert visitor.get("/parcourir/themes/inconnu", status=404)


def test_the_accessibility_statement_is_linked_from_every_page(site):
    app, _ids = site
    visitor = browser(app)
    link = visitor.get("/").html.find("footer").find("a", string=re.compile("Accessibilité"))
    # No audit nor self-assessment yet: RGAA asks for "non conforme" then.
    assert link.get_text() == "Accessibilité : non conforme"
    statement = visitor.get(link["href"])
    assert statement.html.find("h1").get_text() == "Déclaration d'accessibilité"
    text = text_of(statement)
    assert "non conforme" in text and "partiellement" not in text and "RGAA" in text
    assert "mailto:ressources@missionbassinminier.org" in statement.text
    assert "Défenseur des droits" in text


def test_resource_pages_list_related_resources_the_visitor_may_open(site):
    app, ids = site
    # The guide's theme (terrils) is shared by the draft alone: the visitor sees
    # no related section, the editor sees the draft in it.
    assert browser(app).get(ids["guide_path"]).html.find(id="related-title") is None
    staff = browser(app, "editor@example.org").get(ids["guide_path"]).html.find(id="related-title")
    assert staff is not None and "Brouillon sur Liévin" in staff.find_parent("section").get_text()
    cite = browser(app).get("/ressources/cite-miniere-n-05-etude-de-rehabilitation/")
    titles = [a.get_text() for a in cite.html.find(id="related-title").find_parent("section").find_all("a")]
    assert len(titles) == 5 and CITES[4] not in titles and set(titles) <= set(CITES)
    assert titles[0] == CITES[-1]  # equals on shared terms: the newest first


def test_resource_pages_carry_schema_org_json_ld(site):
    app, ids = site
    visitor = browser(app)

    def json_ld(path):
        script = visitor.get(path).html.find("script", type="application/ld+json")
        return json.loads(script.string)

    guide = json_ld(ids["guide_path"])
    assert guide["@type"] == "TechArticle"
    assert guide["name"] == "Guide de la Chaîne des terrils à Loos-en-Gohelle"
    assert guide["@id"] == f"http://example.com/r/{ids['guide']}"
    assert guide["datePublished"] == "2024-03"
    assert guide["spatialCoverage"] == [{"@type": "Place", "name": "Loos-en-Gohelle"}]
    assert [m["name"] for m in guide["associatedMedia"]] == ["terrils.pdf"]
    secret = json_ld(ids["secret_path"])
    assert secret["@type"] == "Article" and "associatedMedia" not in secret
    assert secret["conditionsOfAccess"]


def test_the_json_api_answers_what_the_public_may_see(site):
    app, ids = site
    visitor = browser(app)
    listing = visitor.get("/api/resources", {"q": "terril"})
    assert listing.headers["Access-Control-Allow-Origin"] == "*"
    data = listing.json
    assert [r["title"] for r in data["results"]] == ["Guide de la Chaîne des terrils à Loos-en-Gohelle"]
    assert data["results"][0]["api_url"] == f"http://example.com/api/resources/{ids['guide']}"
    assert {"value": "elus", "label": "Élus", "count": 1} in data["facets"]["audience"]
    # The same parameters as the search page: filter, sort, pages.
    cites = visitor.get("/api/resources", {"theme": "urbanisme-habitat", "sort": "title", "page": "2"}).json
    assert cites["total"] == len(CITES) and cites["pages"] == 2 and cites["next"] is None
    assert [r["title"] for r in cites["results"]] == [CITES[-1]]
    # Whoever asks: an editor's session sees the draft in search, not in the API.
    editor = browser(app, "editor@example.org")
    assert "Brouillon sur Liévin" in [r["title"] for r in editor.get("/search.json", {"q": "Liévin"}).json["results"]]
    assert [r["title"] for r in editor.get("/api/resources", {"q": "Liévin"}).json["results"]] == [
        "Guide de la Chaîne des terrils à Loos-en-Gohelle"
    ]  # a commune of Lens-Liévin

    one = visitor.get(f"/api/resources/{ids['guide']}").json
    assert one["title"] == "Guide de la Chaîne des terrils à Loos-en-Gohelle"
    assert one["terms"]["territory"] == [{"code": "commune-loos-en-gohelle", "label": "Loos-en-Gohelle"}]
    assert [(f["filename"], f["format"], f["pages"]) for f in one["files"]] == [("terrils.pdf", "application/pdf", 1)]
    assert one["dublin_core"]["creator"] == ["Mission Bassin Minier"]
    secret = visitor.get(f"/api/resources/{ids['secret']}").json
    assert secret["restricted"] is True and secret["files"] == []
    assert visitor.get(f"/api/resources/{ids['draft']}", status=404).json["error"]
    assert visitor.get("/api/resources/nexistepas", status=404)


def test_a_first_time_visitor_gets_a_public_cached_page_without_a_cookie(site):
    """Someone arriving from a search engine, a QR code or a PDF: no session,
    no cookie, a page a shared cache may keep, served from the page cache."""
    app, ids = site
    path = ids["secret_path"]
    editor = browser(app, "editor@example.org")
    staff_page = editor.get(path)
    assert staff_page.headers["Cache-Control"] == "private, no-store"
    assert "Modifier" in text_of(staff_page)

    first = browser(app).get(path)
    assert "Set-Cookie" not in first.headers
    assert first.headers["Cache-Control"] == "public, max-age=0, s-maxage=60"
    assert first.headers["Vary"] == "Cookie" and first.headers["ETag"]
    assert "Modifier" not in text_of(first)  # the editor's page was not kept for visitors
    assert "csrf_token" not in first.text  # nothing of one visitor in a page for all
    second = browser(app).get(path)
    assert second.headers["X-Page-Cache"] == "hit" and second.body == first.body
    assert second.headers["ETag"] == first.headers["ETag"] and "Set-Cookie" not in second.headers
    etag = first.headers["ETag"]
    again = browser(app).get(path, headers={"If-None-Match": etag}, status=304)
    assert again.headers["ETag"] == etag and again.body == b""
    # Pages that are not kept in memory are public too, with their own tag.
    results = browser(app).get("/search", {"q": "cité"})
    assert "Set-Cookie" not in results.headers and results.headers["Cache-Control"].startswith("public")
    browser(app).get("/search", {"q": "cité"}, headers={"If-None-Match": results.headers["ETag"]}, status=304)

    # An editor's change changes the page's tag: no stale copy.
    form = editor.get(path + "@@edit").forms["deform"]
    form["summary"] = "Notice publique révisée."
    form.submit("save")
    changed = browser(app).get(path, headers={"If-None-Match": etag})
    assert changed.status_int == 200 and "Notice publique révisée." in changed.text


def test_the_selection_button_works_without_a_session_and_only_from_the_site(site):
    app, ids = site
    visitor = browser(app)
    page = visitor.get(ids["guide_path"])
    form = next(f for f in page.forms.values() if "node_id" in f.fields)
    added = form.submit()  # the browser says where it posts from: the site
    assert added.status_int == 303 and "bassin_session=" in added.headers["Set-Cookie"]
    mine = visitor.get("/")
    assert "Ma sélection (1)" in text_of(mine)
    assert mine.headers["Cache-Control"] == "private, no-cache" and "X-Page-Cache" not in mine.headers
    # Posted from elsewhere, or saying nothing of where from: refused, and said so.
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"}):
        refused = browser(app).post(form.action, dict(form.submit_fields()), headers=headers, status=400)
        assert "doit être envoyée depuis une page du centre de ressources" in refused.text
    bare = webtest.TestApp(app, extra_environ={"HTTP_HOST": "example.com"})
    bare.post(form.action, dict(form.submit_fields()), status=400)
    by_referer = bare.post(
        form.action, dict(form.submit_fields()), headers={"Referer": "http://example.com" + ids["guide_path"]}
    )
    assert by_referer.status_int == 303


def test_views_of_kept_pages_are_counted(site):
    app, ids = site
    with Session(bind=app.registry["dbengine"]) as session:
        node_id = ContentService(session).by_shortid(ids["secret"]).id
        before = StatisticsService(session, "").most_consulted(days=1, limit=100)
    visitors = [browser(app) for _ in range(3)]
    for n, visitor in enumerate(visitors):
        visitor.get("/login")  # a session and its token
        visitor.get(
            ids["secret_path"],
            headers={"User-Agent": "Mozilla/5.0 Firefox/130"},
            extra_environ={"REMOTE_ADDR": f"198.51.{n}.7"},
        )
    with Session(bind=app.registry["dbengine"]) as session:
        after = StatisticsService(session, "").most_consulted(days=1, limit=100)
    assert dict(after).get(node_id, 0) - dict(before).get(node_id, 0) == 3


def test_the_interface_switches_to_english_and_keeps_the_choice(site):
    app, ids = site
    visitor = browser(app)
    home = visitor.get("/")
    assert home.html.find("html")["lang"] == "fr"
    chosen = home.click(description="English")
    assert "bassin_lang=en" in chosen.headers["Set-Cookie"] and "bassin_session" not in chosen.headers["Set-Cookie"]
    english = chosen.follow()
    assert english.request.path == "/"
    assert english.html.find("html")["lang"] == "en"
    # No session for that: the page is as cacheable as the French one, kept apart.
    assert english.headers["Cache-Control"].startswith("public") and english.headers["Vary"] == "Cookie"
    assert browser(app).get("/").html.find("html")["lang"] == "fr"
    assert english.html.find("h1").get_text() == "Resource centre of the Mission Bassin Minier"
    assert "the resources themselves are in French" in text_of(english)
    assert english.html.find("a", class_="skip-link").get_text() == "Skip to content"
    # Vocabulary terms take their English label; the choice follows the visitor.
    assert "Landscape and environment" in text_of(english)
    page = visitor.get(ids["guide_path"])
    assert page.html.find("html")["lang"] == "en"
    assert [dt.get_text() for dt in page.html.select(".metadata dt")][:2] == ["Authors", "Themes"]
    assert page.html.find("h1")["lang"] == "fr"  # the content stays French, and says so
    # Dates and sizes as English writes them, the breadcrumb's root in English.
    assert page.html.select_one(".resource-date").get_text(strip=True).endswith("March 2024")
    assert re.search(r"\d+(\.\d)? KB", page.html.select_one(".file-meta").get_text()), page.html.select_one(
        ".file-meta"
    )
    assert page.html.select_one(".breadcrumbs a").get_text() == "Home"
    login = visitor.get("/login")
    labels = [label.get_text(" ", strip=True) for label in login.html.find("form", id="login").find_all("label")]
    assert labels[:2] == ["E-mail address * (required)", "Password * (required)"]
    assert visitor.get("/enseignants").html.find("h1").get_text() == "Teachers' space"
    selection = visitor.get("/selection")
    assert selection.html.find("h1").get_text() == "My selection" and "Your selection is empty." in text_of(selection)
    results = visitor.get("/search", {"q": "terril"})
    assert results.html.find(class_="result-count").get_text().endswith("result")
    # Back to French, on the same page; a foreign came_from is not followed.
    french = page.click(description="Français").follow()
    assert french.request.path == ids["guide_path"]
    assert french.html.find("html")["lang"] == "fr" and "Auteurs" in text_of(french)
    away = visitor.get("/langue/en", {"came_from": "//evil.example"})
    assert away.location == "http://example.com/"
    visitor.get("/langue/klingon", status=404)


def test_a_deleted_resource_is_not_replayed(site):
    app, _ids = site
    with Session(bind=app.registry["dbengine"]) as session:
        content = ContentService(session)
        folder = content.by_path("/ressources/")
        doomed = content.create(folder, Document, title="Ressource vouée à disparaître", state="published")
        session.commit()
        path = f"/ressources/{doomed.name}/"
    visitor = browser(app)
    visitor.get(path)
    assert visitor.get(path).status_int == 200  # kept now
    editor = browser(app, "editor@example.org")
    editor.get(path + "@@delete").forms["delete"].submit("delete")
    assert visitor.get(path, status=404)


def test_the_sheet_button_of_a_resource_page_gives_its_pdf(site):
    """Followed as a visitor follows it (the button was a 404 on every page
    while a test fetched the address by hand)."""
    app, ids = site
    for language in ("fr", "en"):
        visitor = browser(app)
        page = visitor.get(ids["guide_path"], headers={"Accept-Language": language})
        link = page.html.find("a", string=lambda s: s and ("Fiche à imprimer" in s or "sheet" in s.lower()))
        sheet = visitor.get(link["href"])
        assert sheet.status_int == 200 and sheet.content_type == "application/pdf"
        assert sheet.body.startswith(b"%PDF")


def test_every_answer_carries_the_security_headers(site):
    """Rendered pages, pages replayed by the page cache, errors and downloads:
    no script runs, no other site may frame a page, types are not sniffed."""
    app, ids = site
    visitor = browser(app)
    visitor.get("/login")  # a session: the next pages may be kept
    answers = [
        visitor.get(ids["guide_path"]),
        visitor.get(ids["guide_path"]),  # rendered, then kept
        visitor.get("/nexiste-pas", status=404),
        visitor.get("/robots.txt"),
        visitor.get("/static/site.css"),
    ]
    assert answers[1].headers.get("ETag")
    for answer in answers:
        policy = answer.headers["Content-Security-Policy"]
        assert "script-src 'none'" in policy and "frame-ancestors 'none'" in policy, answer.request.path
        assert answer.headers["X-Frame-Options"] == "DENY"
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_a_shared_link_shows_its_title_summary_and_picture_and_the_page_offers_to_share_and_cite(site):
    app, ids = site
    visitor = browser(app)
    page = visitor.get(ids["guide_path"])
    meta = {m.get("property") or m.get("name"): m["content"] for m in page.html.select("head meta[content]")}
    assert meta["og:title"] == "Guide de la Chaîne des terrils à Loos-en-Gohelle"
    assert meta["og:description"] == meta["description"] == "Le terril 74a et ses voisins."
    assert meta["og:url"] == f"http://example.com/r/{ids['guide']}"
    assert visitor.get(meta["og:image"]).content_type.startswith("image/")  # the first page's thumbnail
    secret = visitor.get(ids["secret_path"]).html
    assert not secret.select('meta[property="og:image"]')  # its pages are for partners
    share = page.html.select_one(".share")
    assert share.select_one("input#share-link")["value"] == meta["og:url"]
    mail = share.select_one('a[href^="mailto:"]')["href"]
    assert "subject=Guide%20de%20la%20Cha%C3%AEne" in mail and quote(meta["og:url"], safe="") in mail
    cited = " ".join(page.html.select_one(".citation").text.split())
    assert cited.startswith("Mission Bassin Minier. Guide de la Chaîne des terrils à Loos-en-Gohelle [en ligne].")
    assert "mars 2024." in cited and f"Disponible à l'adresse : http://example.com/r/{ids['guide']}" in cited
    assert page.html.select_one(".citation i").text == "Guide de la Chaîne des terrils à Loos-en-Gohelle"


def test_search_and_browse_pages_link_their_feed_filter_by_years_and_number_their_pages(site):
    app, _ids = site
    visitor = browser(app)
    browse = visitor.get("/parcourir/themes/urbanisme-habitat")
    feed = browse.html.select_one('head link[type="application/atom+xml"]')["href"]
    assert (
        feed == browse.html.select_one(".feed-link a")["href"] == "http://example.com/flux.atom?theme=urbanisme-habitat"
    )
    assert visitor.get(feed).content_type == "application/atom+xml"
    numbers = [a.text.split()[-1] for a in browse.html.select(".page-numbers a, .page-numbers [aria-current]")]
    assert (
        numbers[:2] == ["1", "2"]
        and browse.html.select_one('.page-numbers [aria-current="page"]').text.split()[-1] == "1"
    )
    second = visitor.get(browse.html.select(".page-numbers a")[0]["href"])
    assert second.html.select_one('.page-numbers [aria-current="page"]').text.split()[-1] == "2"
    form = next(f for f in visitor.get("/search", {"q": "cité"}).forms.values() if "year_from" in f.fields)
    form["year_from"], form["year_to"] = "2011", "2012"
    years = {r.select_one(".listing-meta").text.split("·")[-1].strip() for r in form.submit().html.select(".result")}
    assert years == {"2011", "2012"}
    assert visitor.get("/search", {"q": "cité"}).html.select_one('.skip-link[href="#resultats"]') is not None
