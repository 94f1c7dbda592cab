"""The press gallery as journalists, the press desk and outsiders use it: a
journalist asks for access, an administrator accepts, the journalist chooses
a password, finds images, downloads an original whose IPTC/XMP hold the
caption and credit, then a ZIP with CREDITS.txt; a time-limited link works
until it expires or is revoked; an image without credit cannot be published
and one whose terms ended cannot be downloaded; the log shows each download."""

import csv
import datetime as dt
import io
import re
import zipfile

import pytest
from PIL import Image
from pyramid_mailer.interfaces import IMailer
from sqlalchemy import select
from sqlalchemy.orm import Session

from bassin_cms.auth.models import User
from bassin_cms.auth.services import UserService
from bassin_cms.content.models import Folder
from bassin_cms.content.services import ContentService
from bassin_cms.content.vocabularies import VocabularyService
from bassin_cms.files.services import FileService
from bassin_cms.gallery.metadata import read_metadata
from bassin_cms.gallery.models import ImageResource, PressDownload, PressLink
from tests.conftest import PASSWORD, browser, csrf_token, fire, live_app, text_of


def jpeg(colour=(90, 110, 130), size=(1600, 1000)):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=80)
    return out.getvalue()


IMAGES = {
    "Chevalement de la fosse Arenberg": dict(
        caption="Le chevalement de la fosse Arenberg à Wallers, au lever du jour.",
        credit="Jean Dupont / Mission Bassin Minier",
        territory="commune-wallers-arenberg",
        theme="patrimoine-mondial",
        year=2021,
    ),
    "Terrils jumeaux de Loos-en-Gohelle": dict(
        caption="Les terrils jumeaux du 11/19 vus depuis la plaine.",
        credit="Mission Bassin Minier",
        territory="commune-loos-en-gohelle",
        theme="terrils",
        year=2022,
    ),
    "Cité des Électriciens": dict(
        caption="La cité des Électriciens à Bruay-la-Buissière, ses corons restaurés.",
        credit="Région Hauts-de-France",
        territory="commune-bruay-la-buissiere",
        theme="cites-minieres",
        year=2019,
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory, app_settings):
    app, engine = live_app(tmp_path_factory, app_settings, "gallery")
    with Session(bind=engine) as session:
        content, vocabularies = ContentService(session), VocabularyService(session)
        files = FileService(session, app.registry["blob_storage"])
        folder = content.create(content.root(), Folder, title="Photothèque")
        for n, (title, about) in enumerate(IMAGES.items()):
            image = content.create(
                folder,
                ImageResource,
                title=title,
                state="published",
                caption=about["caption"],
                credit=about["credit"],
                alt_text=f"Photographie : {title}",
                usage_terms="Usage presse, crédit obligatoire.",
                date_year=about["year"],
                kind=vocabularies.by_code("kind", "image"),
            )
            image.terms = [
                t
                for t in (
                    vocabularies.by_code("territory", about["territory"]),
                    vocabularies.by_code("theme", about["theme"]),
                )
                if t is not None
            ]
            files.attach(image, io.BytesIO(jpeg((60 + 40 * n, 100, 120))), f"image-{n}.jpg", role="main")
        ended = content.create(
            folder,
            ImageResource,
            title="Fête de la Sainte-Barbe 2010",
            state="published",
            caption="Le cortège de la Sainte-Barbe.",
            credit="Archives communales",
            usage_ends=dt.date.today() - dt.timedelta(days=3),
            kind=vocabularies.by_code("kind", "image"),
        )
        files.attach(ended, io.BytesIO(jpeg((200, 60, 60))), "sainte-barbe.jpg", role="main")
        users = UserService(session)
        users.create("admin@example.org", PASSWORD, "administrator", "Administratrice")
        users.create("editor@example.org", PASSWORD, "editor")
        users.create("reviewer@example.org", PASSWORD, "reviewer")
        users.create("partner@example.org", PASSWORD, "partner")
        journalist = users.create("journaliste@example.org", PASSWORD, "journalist", "Jeanne Presse")
        journalist.role_ends = dt.date.today() + dt.timedelta(days=30)
        former = users.create("ancien@example.org", PASSWORD, "journalist", "Ancien Journaliste")
        former.role_ends = dt.date.today() - dt.timedelta(days=1)
        session.commit()
    app.registry["outbox_worker"].drain()
    return app


def image_url(site, title):
    with Session(bind=site.registry["dbengine"]) as session:
        image = session.scalar(select(ImageResource).where(ImageResource.title == title))
        return image.path + "/"


def mailbox(site):
    return site.registry.queryUtility(IMailer).outbox


def test_an_anonymous_visitor_sees_the_press_kits_but_no_image_and_no_hd_link(site):
    visitor = browser(site)
    press = visitor.get("/presse")
    assert press.html.select_one('a[href$="/presse/phototheque"]') is not None
    assert press.html.select_one('a[href$="/presse/acces"]') is not None
    assert "@@original" not in press.text and "Arenberg" not in press.text
    gallery = visitor.get("/presse/phototheque")
    assert "réservée aux journalistes accrédités" in text_of(gallery)
    assert "Arenberg" not in gallery.text and "@@original" not in gallery.text
    url = image_url(site, "Chevalement de la fosse Arenberg")
    for address in (url, url + "@@original", url + "@@web.jpg/480", url + "@@download/1/image-0.jpg"):
        assert visitor.get(address, status="*").status_int in (302, 303, 403, 404), address
    assert not visitor.get("/search?q=chevalement+arenberg").html.select(".result-title")
    assert "/login" in visitor.get("/presse/phototheque/images.zip?image=1", status=303).location


def test_a_journalist_asks_is_accepted_chooses_a_password_and_downloads_an_original_with_its_credit(site):
    mailbox(site).clear()
    visitor = browser(site)
    form = visitor.get("/presse/acces").forms["deform"]
    form["name"] = "Claire Martin"
    form["outlet"] = "La Voix du Nord"
    form["email"] = "not an address"
    form["credentials"] = "Carte de presse n° 123456"
    form["purpose"] = "Un reportage sur les 11 ans de l'inscription, parution en juin."
    refused = form.submit("send")
    assert "Adresse e-mail invalide" in refused.text
    again = refused.forms["deform"]
    assert again["outlet"].value == "La Voix du Nord"  # what was typed is kept
    again["email"] = "Claire.Martin@lavoixdunord.fr"
    done = again.submit("send").follow()
    assert "Votre demande est enregistrée" in text_of(done)
    desk = [m for m in mailbox(site) if "admin@example.org" in m.recipients]
    assert len(desk) == 1 and "Claire Martin (La Voix du Nord" in desk[0].body

    staff = browser(site, "admin@example.org")
    queue = staff.get("/admin/presse/demandes")
    assert "Claire Martin — La Voix du Nord" in text_of(queue) and "Carte de presse n° 123456" in queue.text
    accept = next(f for f in queue.forms.values() if "until" in f.fields)
    accept["until"] = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    accepted = accept.submit("accept").follow()
    assert "Accès accordé à Claire Martin" in text_of(accepted)
    (message,) = [m for m in mailbox(site) if "claire.martin@lavoixdunord.fr" in m.recipients]
    link = re.search(r"http://example.com(/presse/mot-de-passe/\S+)", message.body).group(1)

    journalist = browser(site)
    page = journalist.get(link)
    form = page.forms["deform"]
    form["password"] = form["password-confirm"] = "un mot de passe de presse"
    form.submit("save").follow()
    assert journalist.get(link, status=410)  # the link works once
    login = journalist.get("/login").forms["login"]
    login["email"], login["password"] = "claire.martin@lavoixdunord.fr", "un mot de passe de presse"
    login.submit("login").follow()

    gallery = journalist.get("/presse/phototheque")
    titles = [t.get_text(strip=True) for t in gallery.html.select(".gallery-title")]
    assert "Chevalement de la fosse Arenberg" in titles and len(titles) == 4
    original = journalist.get(image_url(site, "Chevalement de la fosse Arenberg") + "@@original")
    assert original.content_type == "image/jpeg" and "attachment" in original.headers["Content-Disposition"]
    iptc, xmp = read_metadata(original.body)
    about = IMAGES["Chevalement de la fosse Arenberg"]
    assert iptc["Iptc.Application2.Caption"] == about["caption"]
    assert iptc["Iptc.Application2.Credit"] == about["credit"][:32]
    assert xmp["Xmp.photoshop.Credit"] == about["credit"]
    assert about["caption"] in str(xmp["Xmp.dc.description"])
    assert "Usage presse" in str(xmp["Xmp.xmpRights.UsageTerms"])
    # The original in the store is untouched: only the download carries the fields.
    with Session(bind=site.registry["dbengine"]) as session:
        logged = session.scalars(select(PressDownload).where(PressDownload.who.like("Claire Martin%"))).all()
        assert [(row.image_title, row.how) for row in logged] == [("Chevalement de la fosse Arenberg", "original")]


def test_a_zip_of_three_images_carries_credits_and_is_logged(site):
    journalist = browser(site, "journaliste@example.org")
    gallery = journalist.get("/presse/phototheque")
    form = gallery.forms["gallery-selection"]
    for box in form.fields["image"][:3]:
        box.checked = True
    archive = form.submit()
    assert archive.content_type == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(archive.body)).namelist()
    assert names[0] == "CREDITS.txt" and len(names) == 4 and all(n.endswith(".jpg") for n in names[1:])
    credits = zipfile.ZipFile(io.BytesIO(archive.body)).read("CREDITS.txt").decode()
    for title, about in IMAGES.items():
        assert f"Titre : {title}" in credits and f"Crédit : © {about['credit']}" in credits
    assert credits.count("Lien permanent : http://example.com/r/") == 3
    with Session(bind=site.registry["dbengine"]) as session:
        rows = session.scalars(select(PressDownload).where(PressDownload.how == "zip")).all()
        assert len(rows) == 3 and len({r.archive for r in rows}) == 1 and rows[0].who.startswith("Jeanne Presse")


def test_an_image_without_credit_cannot_be_published_and_ended_terms_stop_downloads(site):
    editor = browser(site, "editor@example.org")
    upload = editor.get("/phototheque/@@televerser-images")
    form = upload.forms["image-upload"]
    # Several files in one field, as a browser sends a multiple file input.
    table = editor.post(
        form.action,
        {"csrf_token": form["csrf_token"].value},
        upload_files=[
            ("images", "lampiste.jpg", jpeg((30, 30, 30), (800, 600)), "image/jpeg"),
            ("images", "notes.txt", b"pas une image", "text/plain"),
        ],
    ).follow()
    assert "« notes.txt » non ajoutée" in text_of(table)
    assert "1 image(s) ajoutée(s) en brouillon" in text_of(table)
    rows = next(f for f in table.forms.values() if "id" in f.fields)
    image_id = rows["id"].value
    rows[f"{image_id}-caption"] = "La lampisterie de la fosse 9."
    rows[f"{image_id}-date"] = "pas une date"
    failed = rows.submit(status=400)
    assert "Le tableau n'a pas été enregistré" in text_of(failed)
    kept = next(f for f in failed.forms.values() if "id" in f.fields)
    assert kept[f"{image_id}-caption"].value == "La lampisterie de la fosse 9."
    kept[f"{image_id}-date"] = "2020"
    kept[f"{image_id}-alt_text"] = "Des lampes alignées sur des étagères."
    saved = kept.submit().follow()
    assert "1 image(s) enregistrée(s)" in text_of(saved)

    with Session(bind=site.registry["dbengine"]) as session:
        image = session.get(ImageResource, int(image_id))
        assert image.caption == "La lampisterie de la fosse 9." and image.date_year == 2020 and image.credit == ""
        url = image.path + "/"
    page = editor.get(url)
    assert "Aucun crédit : l'image ne peut pas être publiée" in text_of(page)
    fire(editor, page, "submit")
    reviewer = browser(site, "reviewer@example.org")
    refused = reviewer.post(
        url + "@@transition/publish", {"csrf_token": csrf_token(reviewer.get(url)), "confirm": "1"}, status=400
    )
    assert "Publication impossible : l'image n'a pas de crédit" in text_of(refused)

    # Ended terms: no download, flagged to staff, and left out of ZIPs.
    ended = image_url(site, "Fête de la Sainte-Barbe 2010")
    journalist = browser(site, "journaliste@example.org")
    assert "Droits d'utilisation échus" in text_of(journalist.get(ended))
    assert journalist.get(ended + "@@original", status=410)
    assert "Droits d'utilisation échus" in text_of(browser(site, "editor@example.org").get("/presse/phototheque"))
    with Session(bind=site.registry["dbengine"]) as session:
        ended_id = session.scalar(select(ImageResource.id).where(ImageResource.title.like("Fête%")))
    gone = journalist.get(f"/presse/phototheque/images.zip?image={ended_id}").follow()
    assert "Cochez au moins une image téléchargeable" in text_of(gone)


def test_a_time_limited_link_works_until_it_expires_or_is_revoked(site):
    staff = browser(site, "editor@example.org")
    page = staff.get("/admin/presse/liens")
    form = page.forms["deform"]
    form["recipient"] = "Paul Reporter (France 3)"
    form["email"] = "paul@example.org"
    form["days"] = "3"
    created = form.submit("create")
    url = created.html.select_one("#created-link")["value"]
    path = url.removeprefix("http://example.com")

    outsider = browser(site)
    opened = outsider.get(path)
    assert "Pour Paul Reporter (France 3)" in text_of(opened) and "Chevalement de la fosse Arenberg" in opened.text
    hd = opened.html.select_one('a[href*="/original/"]')["href"]
    original = outsider.get(hd.removeprefix("http://example.com"))
    assert read_metadata(original.body)[0]["Iptc.Application2.Credit"]
    archive = outsider.get(path + "/images.zip")
    assert zipfile.ZipFile(io.BytesIO(archive.body)).namelist()[0] == "CREDITS.txt"
    assert outsider.get(path[:-3] + "xyz", status=410)  # a forged token

    with Session(bind=site.registry["dbengine"]) as session:
        link = session.scalar(select(PressLink).where(PressLink.recipient.like("Paul%")))
        assert link.uses == 1
        logged = session.scalars(select(PressDownload).where(PressDownload.link_id == link.id)).all()
        assert {r.how for r in logged} == {"original", "zip"} and logged[0].who.startswith("Paul Reporter")
        link.expires = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        session.commit()
    assert "Ce lien a expiré" in text_of(outsider.get(path, status=410))
    assert outsider.get(hd.removeprefix("http://example.com"), status=410)

    # A second link, revoked from the list.
    form = staff.get("/admin/presse/liens").forms["deform"]
    form["recipient"], form["days"] = "Agence", "7"
    second = form.submit("create").html.select_one("#created-link")["value"].removeprefix("http://example.com")
    assert outsider.get(second).status_int == 200
    revoke = next(f for f in staff.get("/admin/presse/liens").forms.values() if "revoquer" in (f.action or ""))
    revoke.submit().follow()
    assert "Ce lien a été révoqué" in text_of(outsider.get(second, status=410))


def test_the_download_log_shows_each_download_and_exports_csv(site):
    staff = browser(site, "editor@example.org")
    journalist = browser(site, "journaliste@example.org")
    journalist.get(image_url(site, "Terrils jumeaux de Loos-en-Gohelle") + "@@original")
    log = staff.get("/admin/presse/telechargements")
    assert "Jeanne Presse <journaliste@example.org>" in log.text.replace("&lt;", "<").replace("&gt;", ">")
    assert "Terrils jumeaux de Loos-en-Gohelle" in log.text
    exported = staff.get("/admin/presse/telechargements.csv")
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["date (UTC)", "qui", "image"]
    assert any(r[1].startswith("Jeanne Presse") and r[2] == "Terrils jumeaux de Loos-en-Gohelle" for r in rows[1:])
    assert browser(site, "partner@example.org").get("/admin/presse/telechargements", status=403)
    assert browser(site, "journaliste@example.org").get("/admin/presse/telechargements.csv", status=403)


def test_images_are_found_by_caption_credit_commune_and_theme_with_gallery_facets(site):
    journalist = browser(site, "journaliste@example.org")
    for query in ("lever du jour", "Région Hauts-de-France", "Wallers", "corons"):
        found = journalist.get("/presse/phototheque", {"q": query})
        assert found.html.select(".gallery-title"), query
    gallery = journalist.get("/presse/phototheque")
    facets = {h.get_text(strip=True) for h in gallery.html.select(".facets h3")}
    assert {"Thème", "Territoire", "Année"} <= facets, facets
    year = gallery.html.select_one(".facets a[href*='year_from=2022']")
    narrowed = journalist.get(year["href"].removeprefix("http://example.com"))
    assert [t.get_text(strip=True) for t in narrowed.html.select(".gallery-title")] == [
        "Terrils jumeaux de Loos-en-Gohelle"
    ]
    # Partners and anonymous visitors find no image in the site's search.
    for who in (browser(site), browser(site, "partner@example.org")):
        assert not who.get("/search", {"q": "chevalement Arenberg"}).html.select(".result-title")
    found = journalist.get("/search", {"q": "chevalement Arenberg"})
    assert "Chevalement de la fosse Arenberg" in [a.get_text(strip=True) for a in found.html.select(".result-title")]


ROLES = ("anonymous", "partner", "former journalist", "journalist", "editor", "reviewer", "administrator")
EMAILS = {
    "partner": "partner@example.org",
    "former journalist": "ancien@example.org",
    "journalist": "journaliste@example.org",
    "editor": "editor@example.org",
    "reviewer": "reviewer@example.org",
    "administrator": "admin@example.org",
}


@pytest.fixture(scope="module")
def link_path(site):
    form = browser(site, "admin@example.org").get("/admin/presse/liens").forms["deform"]
    form["recipient"], form["days"] = "Matrice", "1"
    return form.submit("create").html.select_one("#created-link")["value"].removeprefix("http://example.com")


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_for_images(site, link_path, role):
    """Preview, HD original and ZIP of a published image, for every role;
    a valid link works for anyone (it is the journalist's key)."""
    who = browser(site, EMAILS.get(role))
    linked = who.get(link_path)
    assert "Cité des Électriciens" in linked.text
    hd = linked.html.select_one('a[href*="/original/"]')["href"].removeprefix("http://example.com")
    assert who.get(hd).content_type == "image/jpeg"
    url = image_url(site, "Cité des Électriciens")
    with Session(bind=site.registry["dbengine"]) as session:
        image_id = session.scalar(select(ImageResource.id).where(ImageResource.title == "Cité des Électriciens"))
    sees = role in ("journalist", "editor", "reviewer", "administrator")
    outcomes = {
        "page": who.get(url, status="*").status_int == 200,
        "preview": who.get(url + "@@web.jpg/480", status="*").status_int == 200,
        "hd": who.get(url + "@@original", status="*").status_int == 200,
        "zip": who.get(f"/presse/phototheque/images.zip?image={image_id}", status="*").content_type
        == "application/zip",
        "gallery": "Cité des Électriciens" in who.get("/presse/phototheque").text,
    }
    assert outcomes == dict.fromkeys(outcomes, sees), outcomes


def test_a_former_journalist_keeps_the_account_but_not_the_gallery(site):
    former = browser(site, "ancien@example.org")
    assert "ne donne pas (ou plus) accès" in text_of(former.get("/presse/phototheque"))
    with Session(bind=site.registry["dbengine"]) as session:
        assert session.scalar(select(User.role).where(User.email == "ancien@example.org")) == "journalist"


def test_a_refused_request_needs_a_reason_and_mails_it(site):
    mailbox(site).clear()
    form = browser(site).get("/presse/acces").forms["deform"]
    form["name"], form["outlet"], form["email"] = "Marc Blog", "Un blog personnel", "marc@example.net"
    form["credentials"], form["purpose"] = "aucune", "Des photos pour illustrer mon blog."
    form.submit("send").follow()
    twice = browser(site).get("/presse/acces").forms["deform"]
    twice["name"], twice["outlet"], twice["email"] = "Marc Blog", "Un blog", "MARC@example.net"
    twice["credentials"], twice["purpose"] = "aucune", "Encore une fois, des photos."
    assert "Une demande est déjà en cours pour marc@example.net" in text_of(twice.submit("send", status=400))

    staff = browser(site, "editor@example.org")
    queue = staff.get("/admin/presse/demandes")
    refuse = next(f for f in queue.forms.values() if "reason" in f.fields)
    kept = refuse.submit("refuse").follow()
    assert "Indiquez le motif du refus" in text_of(kept) and "Marc Blog — Un blog personnel" in text_of(kept)
    refuse = next(f for f in kept.forms.values() if "reason" in f.fields)
    refuse["reason"] = "La photothèque est réservée aux journalistes professionnels."
    decided = refuse.submit("refuse").follow()
    assert "Demande de Marc Blog refusée" in text_of(decided) and "Aucune demande en attente" in text_of(decided)
    (mail,) = [m for m in mailbox(site) if "marc@example.net" in m.recipients]
    assert "réservée aux journalistes professionnels" in mail.body
    with Session(bind=site.registry["dbengine"]) as session:
        assert session.scalar(select(User).where(User.email == "marc@example.net")) is None


def test_a_link_to_chosen_images_gives_those_only(site):
    staff = browser(site, "editor@example.org")
    page = staff.get("/admin/presse/liens")
    form = page.forms["deform"]
    form["recipient"], form["days"] = "Rédaction du Monde", "2"
    wanted = labelled_value(page, "Terrils jumeaux de Loos-en-Gohelle")
    for box in form.fields["checkbox"]:
        box.checked = box._value == wanted
    path = form.submit("create").html.select_one("#created-link")["value"].removeprefix("http://example.com")
    opened = browser(site).get(path)
    assert [p.get_text(strip=True) for p in opened.html.select(".gallery-title")] == [
        "Terrils jumeaux de Loos-en-Gohelle"
    ]
    with Session(bind=site.registry["dbengine"]) as session:
        other = session.scalar(select(ImageResource.id).where(ImageResource.title == "Cité des Électriciens"))
    token = path.split("/")[-1]
    assert browser(site).get(f"/presse/lien/{token}/original/{other}", status=404)


def labelled_value(page, text):
    for label in page.html.select("label"):
        if label.get_text(" ", strip=True) == text:
            return page.html.find(id=label["for"])["value"]
    raise AssertionError(text)


def test_image_views_and_downloads_count_in_the_statistics(site):
    journalist = browser(site, "journaliste@example.org")
    url = image_url(site, "Cité des Électriciens")
    browser_like = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"}  # robots are not counted
    journalist.get(url, headers=browser_like)
    journalist.get(url + "@@original", headers=browser_like)
    report = browser(site, "admin@example.org").get("/admin/statistiques.csv")
    rows = [r for r in csv.reader(io.StringIO(report.text.lstrip("\ufeff")), delimiter=";") if r]
    (row,) = [r for r in rows if "Cité des Électriciens" in r]
    assert int(row[4]) >= 1 and int(row[5]) >= 1, row  # views, downloads


def test_a_flood_of_requests_is_refused_without_mailing_the_desk(site, monkeypatch):
    import bassin_cms.gallery.services as services

    monkeypatch.setattr(services, "MAX_REQUESTS_AN_HOUR", 1)  # the queue already holds this hour's requests
    mailbox(site).clear()
    form = browser(site).get("/presse/acces").forms["deform"]
    form["name"], form["outlet"], form["email"] = "Robot", "Spam", "robot@example.net"
    form["credentials"], form["purpose"] = "rien", "Des demandes en rafale."
    refused = form.submit("send", status=400)
    assert "Trop de demandes en ce moment" in text_of(refused)
    assert refused.forms["deform"]["purpose"].value == "Des demandes en rafale."
    assert not mailbox(site)


def test_accepting_a_request_never_turns_a_partner_into_a_journalist(site):
    form = browser(site).get("/presse/acces").forms["deform"]
    form["name"], form["outlet"] = "Paula Partenaire", "Communauté d'agglomération"
    form["email"] = "partner@example.org"
    form["credentials"], form["purpose"] = "aucune", "Des images pour le bulletin communautaire."
    form.submit("send").follow()
    staff = browser(site, "admin@example.org")
    queue = staff.get("/admin/presse/demandes")
    accept = next(f for f in queue.forms.values() if "until" in f.fields and "Paula" in f.text)
    refused = accept.submit("accept").follow()
    assert "partner@example.org a déjà un compte (partenaire ou équipe)" in text_of(refused)
    with Session(bind=site.registry["dbengine"]) as session:
        assert session.scalar(select(User.role).where(User.email == "partner@example.org")) == "partner"
