"""The security review's findings, each replayed the way the reviewer did it,
on a live site (requests commit, the outbox is applied after each)."""

import re

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from bassin_cms.auth.services import UserService
from bassin_cms.content.models import Document, Folder
from bassin_cms.content.services import ContentService
from tests.conftest import PASSWORD, browser, live_app, pdf_pages

XSS = "javascript:alert(document.domain);'@x.com/"


@pytest.fixture(scope="module")
def site(tmp_path_factory, app_settings):
    app, engine = live_app(tmp_path_factory, app_settings, "findings")
    with Session(bind=engine) as session:
        UserService(session).create("editor@example.org", PASSWORD, "editor", "Claire")
        UserService(session).create("reviewer@example.org", PASSWORD, "reviewer", "Paul")
        UserService(session).create("admin@example.org", PASSWORD, "administrator", "Anne")
        content = ContentService(session)
        folder = content.create(content.root(), Folder, title="Guides")
        content.create(folder, Document, title="Une fiche publiée", state="published")
        session.commit()
    app.engine = engine
    return app


def test_a_javascript_address_is_refused_and_never_rendered_as_a_link(site):
    editor = browser(site, "editor@example.org")
    form = editor.get("/admin/contacts/add").forms["deform"]
    form["name"], form["web"] = "Contact piégé", XSS
    refused = form.submit("save", status="*")
    assert "Adresse web non valide" in refused.text and "Contact piégé" in refused.text
    form = editor.get("/guides/@@add/document").forms["deform"]
    form["title"], form["external_url"] = "Lien piégé", XSS
    refused = form.submit("save", status="*")
    assert "Adresse web non valide" in refused.text and "Lien piégé" in refused.text

    # One stored before the check (or by a script): shown as text, not as a link.
    from bassin_cms.guides.models import Contact

    with Session(bind=site.engine) as session:
        session.add(Contact(name="Contact ancien", web=XSS))
        document = session.query(Document).filter_by(title="Une fiche publiée").one()
        document.external_url = XSS
        session.commit()
    form = editor.get("/guides/@@add/guide").forms["deform"]
    form["title"] = "Guide aux contacts"
    form["chapters"] = "# Premier chapitre\n\nTexte."
    for index in range(len(form.fields.get("checkbox", []))):
        form.get("checkbox", index=index).checked = True
    guide = form.submit("save").follow()
    assert "Contact ancien" in guide.text
    assert 'href="javascript' not in guide.text
    page = browser(site).get("/guides/une-fiche-publiee/")
    assert 'href="javascript' not in page.text and "Consulter la ressource en ligne" not in page.text


@pytest.mark.parametrize("title", ["Seuil a<b", 'Vignette <img src="/etc/hostname"/>', "Fin & suite <b>"])
def test_markup_in_a_chapter_title_is_printed_as_text_in_the_booklet(site, title):
    editor = browser(site, "editor@example.org")
    form = editor.get("/guides/@@add/guide").forms["deform"]
    form["title"] = f"Guide {title}"
    form["chapters"] = f"# {title}\n\nUn paragraphe.\n\n# Deuxième chapitre\n\nSuite."
    guide = form.submit("save").follow()
    response = editor.get(guide.request.path_url + "@@guide.pdf")
    assert response.content_type == "application/pdf"
    pages = pdf_pages(response.body)
    contents = next(p for p in pages if "Sommaire" in p)
    assert title in contents and "Deuxième chapitre" in contents
    assert re.search(rb"/Subtype\s*/Image", response.body) is None  # no file of the server pulled in


PUBLIC = "https://ressources.example.org"


@pytest.fixture(scope="module")
def public_site(tmp_path_factory, app_settings):
    app, engine = live_app(tmp_path_factory, dict(app_settings, **{"bassin.public_url": PUBLIC}), "public_url")
    with Session(bind=engine) as session:
        UserService(session).create("editor@example.org", PASSWORD, "editor", "Claire")
        UserService(session).create("reviewer@example.org", PASSWORD, "reviewer", "Paul")
        content = ContentService(session)
        folder = content.create(content.root(), Folder, title="Études")
        content.create(folder, Document, title="Une étude publiée", state="published")
        session.commit()
    return app


def test_absolute_addresses_use_the_public_url_whatever_the_host_header(public_site):
    import webtest
    from pyramid_mailer.interfaces import IMailer

    # The browser of a visitor of the public site sends its Origin (checked on https).
    evil = webtest.TestApp(public_site, extra_environ={"HTTP_HOST": "evil.example", "HTTP_ORIGIN": PUBLIC})
    for url in (
        "/flux.atom",
        "/sitemap.xml",
        "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc",
        "/api/resources",
        "/etudes/une-etude-publiee/",
        "/robots.txt",
    ):
        text = evil.get(url).text
        assert "evil.example" not in text, url
        assert PUBLIC in text or "ressources.example.org" in text, url
    assert "oai:ressources.example.org:" in evil.get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc").text
    fiche = evil.get("/etudes/une-etude-publiee/@@fiche.pdf").body
    assert any(PUBLIC + "/r/" in page for page in pdf_pages(fiche))

    # A submit made through the forged host mails reviewers the public address.
    mailer = public_site.registry.queryUtility(IMailer)
    mailer.outbox.clear()
    # (Forms are posted to their path: the test client keeps its cookies per host.)
    form = evil.get("/login").forms["login"]
    form.action = "/login"
    form["email"], form["password"] = "editor@example.org", PASSWORD
    form.submit("login")
    form = evil.get("/etudes/@@add/document").forms["deform"]
    form.action = "/etudes/@@add/document"
    form["title"] = "Note à relire"
    page = evil.get(form.submit("save").location.replace(PUBLIC, ""))
    action = re.search(r'action="([^"]+@@transition/submit)"', page.text).group(1)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    assert action.startswith(PUBLIC)
    evil.post(action.replace(PUBLIC, ""), {"csrf_token": token, "confirm": "1"}).follow()
    bodies = [message.body for message in mailer.outbox]
    assert bodies and all("evil.example" not in body for body in bodies)
    assert any(f"{PUBLIC}/etudes/note-a-relire/" in body for body in bodies)


def test_a_public_url_that_is_not_an_address_stops_the_start(app_settings):
    from bassin_cms.public_url import PublicURLError, parse_public_url

    assert parse_public_url("https://ressources.example.org/centre/") == (
        "https",
        "ressources.example.org",
        "443",
        "/centre",
    )
    for wrong in ("ressources.example.org", "ftp://x.org", "https://"):
        with pytest.raises(PublicURLError):
            parse_public_url(wrong)


def test_a_line_break_in_came_from_sends_home_after_login(site):
    visitor = browser(site)
    form = visitor.get("/login?came_from=/guides/%0D%0ASet-Cookie:%20stolen=1").forms["login"]
    form["email"], form["password"] = "editor@example.org", PASSWORD
    answer = form.submit("login", status=303)
    assert answer.location == "http://example.com/" and "stolen" not in str(answer.headers)


def date_inputs(form, name):
    """The (date, time) inputs of the DateTimeInputWidget of ``name``."""
    start = [
        i for i, (key, field) in enumerate(form.field_order) if key == "__start__" and field.value == f"{name}:mapping"
    ]
    date, time = (field for key, field in form.field_order[start[0] + 1 : start[0] + 3])
    return date, time


@pytest.mark.parametrize("search_backend", ["whoosh", "postgresql"])
def test_a_publication_date_typed_in_paris_time_stays_put_on_every_save(tmp_path_factory, app_settings, search_backend):
    """Stored in UTC, shown in Paris time, on SQLite and PostgreSQL alike (the
    PostgreSQL run is the one with the PostgreSQL backend)."""
    import datetime as dt

    app, engine = live_app(tmp_path_factory, app_settings, f"dates_{search_backend}", search_backend=search_backend)
    with Session(bind=engine) as session:
        UserService(session).create("editor@example.org", PASSWORD, "editor", "Claire")
        session.commit()
    editor = browser(app, "editor@example.org")
    form = editor.get("/@@add/document").forms["deform"]
    form["title"] = "Annonce datée"
    date, time = date_inputs(form, "effective")
    date.value, time.value = "2027-03-10", "14:30"  # winter: Paris is UTC+1
    url = form.submit("save").follow().request.path_url
    for _save in range(3):
        form = editor.get(url + "@@edit").forms["deform"]
        date, time = date_inputs(form, "effective")
        assert (date.value, time.value[:5]) == ("2027-03-10", "14:30")
        form.submit("save").follow()
    with Session(bind=engine) as session:
        stored = session.query(Document).filter_by(title="Annonce datée").one().effective
    assert stored == dt.datetime(2027, 3, 10, 13, 30, tzinfo=dt.UTC)
    engine.dispose()


def test_deleting_a_folder_asks_for_each_resource_inside_and_logs_each(site):
    from bassin_cms.workflow.models import AuditEntry

    editor = browser(site, "editor@example.org")
    reviewer = browser(site, "reviewer@example.org")
    with Session(bind=site.engine) as session:
        content = ContentService(session)
        guides = content.root()["guides"]
        folder = content.create(guides, Folder, title="Campagne 2019")
        content.create(folder, Document, title="Brouillon de Claire", state="draft")
        content.create(folder, Document, title="Fiche en validation", state="pending")
        content.create(folder, Document, title="Fiche archivée", state="archived")
        session.commit()

    # An editor may not delete the pending or archived ones one by one: nor with their folder.
    page = editor.get("/guides/campagne-2019/@@delete")
    assert "ne peut pas être supprimé" in page.text
    assert "Fiche en validation" in page.text and "Fiche archivée" in page.text
    assert "Supprimer définitivement" not in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', editor.get("/selection").text).group(1)
    editor.post("/guides/campagne-2019/@@delete", {"csrf_token": token, "delete": "1"}, status=403)
    assert "Fiche archivée" in reviewer.get("/guides/campagne-2019/fiche-archivee/").text

    # A reviewer may not delete the pending one either; an administrator may delete
    # each of them: the folder goes, and the log names every one.
    assert "Fiche en validation" in reviewer.get("/guides/campagne-2019/@@delete").text
    form = browser(site, "admin@example.org").get("/guides/campagne-2019/@@delete").forms["delete"]
    form.submit("delete").follow()
    with Session(bind=site.engine) as session:
        deleted = [e.title for e in session.query(AuditEntry).filter_by(action="delete")]
    for title in ("Campagne 2019", "Brouillon de Claire", "Fiche en validation", "Fiche archivée"):
        assert title in deleted


def test_a_site_editor_is_not_offered_the_deletion_of_a_section(site):
    editor = browser(site, "editor@example.org")
    assert "@@delete" not in editor.get("/guides/").text
    editor.get("/guides/@@delete", status=403)
    assert "guides/@@delete" in browser(site, "admin@example.org").get("/guides/").text


def tall_pdf(width=20, height=14400):
    """The review's 1.3 KB PDF: one page 20 pt wide and 14,400 pt tall."""
    import io

    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(width, height))
    pdf.drawString(2, height - 20, "x")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_a_page_made_to_be_huge_is_drawn_within_bounds_and_once(site, tmp_path):
    import io
    import time

    from PIL import Image

    from bassin_cms.files.render import MAX_PIXELS, page_scale, render_first_page
    from bassin_cms.files.services import FileService

    with Session(bind=site.engine) as session:
        content = ContentService(session)
        poster = content.create(content.root()["guides"], Document, title="Affiche étroite", state="published")
        FileService(session, site.registry["blob_storage"]).attach(
            poster, io.BytesIO(tall_pdf()), "etroite.pdf", role="main"
        )
        session.commit()
    site.registry["outbox_worker"].drain()  # the worker draws the preview, bounded
    visitor = browser(site)
    started = time.monotonic()
    image = Image.open(io.BytesIO(visitor.get("/guides/affiche-etroite/@@preview.jpg").body))
    assert image.height <= 2700 and image.width * image.height <= MAX_PIXELS
    assert time.monotonic() - started < 10
    # Any page, any shape: the bitmap stays under the bound.
    for width, height in ((20, 14400), (14400, 14400), (1, 1), (595, 842)):
        scale = page_scale(width, height, 900, 2700)
        assert width * height * scale * scale <= MAX_PIXELS * 1.0001 and height * scale <= 2700.01

    # A render that takes too long is stopped.
    path = tmp_path / "slow.pdf"
    path.write_bytes(tall_pdf(595, 842))
    assert render_first_page(path, 900, seconds=0.001) is None
    # A visitor's request never draws: a preview the worker could not make is a 404, each time.
    from bassin_cms.files import render

    calls = []
    original = render.render_first_page
    render.render_first_page = lambda *args, **kwargs: calls.append(args)
    try:
        with Session(bind=site.engine) as session:
            content = ContentService(session)
            resource = content.create(content.root()["guides"], Document, title="Affiche refusée", state="published")
            FileService(session, site.registry["blob_storage"]).attach(
                resource, io.BytesIO(tall_pdf(300, 301)), "refusee.pdf", role="main"
            )
            session.commit()
        visitor.get("/guides/affiche-refusee/@@preview.jpg", status=404)  # not drawn yet: pending
        with Session(bind=site.engine) as session:
            session.execute(
                text(
                    "UPDATE blobs SET extraction = 'failed', has_preview = false WHERE sha256 IN "
                    "(SELECT sha256 FROM resource_files WHERE filename = 'refusee.pdf')"
                )
            )
            session.commit()
        visitor.get("/guides/affiche-refusee/@@preview.jpg", status=404)
        visitor.get("/guides/affiche-refusee/@@preview.jpg", status=404)
    finally:
        render.render_first_page = original
    assert calls == []


def test_a_kept_page_ends_when_its_unpublication_date_passes(site):
    import datetime as dt
    import time

    with Session(bind=site.engine) as session:
        content = ContentService(session)
        soon = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=3)
        content.create(content.root()["guides"], Document, title="Annonce éphémère", state="published", expires=soon)
        session.commit()
    visitor = browser(site)
    visitor.get("/guides/annonce-ephemere/")
    assert "Annonce éphémère" in visitor.get("/guides/annonce-ephemere/").text  # now a kept copy
    assert "Annonce éphémère" in visitor.get("/").text  # in the home page's latest list
    time.sleep(max(0.0, (soon - dt.datetime.now(dt.UTC)).total_seconds()) + 0.2)
    gone = visitor.get("/guides/annonce-ephemere/", status="*")
    assert gone.status_int == 303 and "/login" in gone.location  # no longer public: sign in to see it
    assert "Annonce éphémère" not in visitor.get("/").text
    assert "Annonce éphémère" not in visitor.get("/flux.atom").text


def test_did_you_mean_forgets_the_words_of_a_resource_past_its_date(site):
    import datetime as dt
    import time

    with Session(bind=site.engine) as session:
        content = ContentService(session)
        soon = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=3)
        content.create(
            content.root()["guides"],
            Document,
            title="Le chevalement Sabatier",
            state="published",
            summary="Le chevalement de la fosse Sabatier à Raismes.",
            expires=soon,
        )
        session.commit()
    browser(site, "editor@example.org").get("/")  # a request: the outbox is applied
    visitor = browser(site)
    assert visitor.get("/search.json", {"q": "sabatiier"}).json["suggestion"] == "sabatier"
    time.sleep(max(0.0, (soon - dt.datetime.now(dt.UTC)).total_seconds()) + 0.2)
    answer = visitor.get("/search.json", {"q": "sabatiier"}).json
    assert answer["suggestion"] is None and answer["total"] == 0
    assert "sabatier" not in visitor.get("/search", {"q": "sabatiier"}).text.lower()


def test_a_resource_scheduled_later_in_this_minute_is_not_found_before_its_time(site):
    import datetime as dt

    now = dt.datetime.now(dt.UTC)
    start = now.replace(second=0, microsecond=0)
    # Late in the current minute (or the next one if too close): a cache of a
    # minute's answer computed at its last second would show it now.
    at = start + dt.timedelta(seconds=59 if now.second < 45 else 119)
    with Session(bind=site.engine) as session:
        content = ContentService(session)
        content.create(
            content.root()["guides"], Document, title="Communiqué sous embargo", state="published", effective=at
        )
        session.commit()
    editor = browser(site, "editor@example.org")
    assert editor.get("/search.json", {"q": "communiqué embargo"}).json["total"] == 1  # indexed, for the staff
    visitor = browser(site)
    assert visitor.get("/search.json", {"q": "communiqué embargo"}).json["total"] == 0
    assert dt.datetime.now(dt.UTC) < at
