"""The four journeys of issue 7, in Chromium against a real server with the
demo content; each saves screenshots under var/screenshots/."""

import io
import re
import zipfile

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, USERS, log_in, screenshot
from tests.conftest import make_pdf

TITLE = "Présentation de la Mission Bassin Minier au Conseil communautaire de la CAPH"


def test_a_partner_searches_filters_by_territory_opens_and_downloads(page):
    log_in(page, "partner")
    page.get_by_label("Rechercher dans le centre de ressources").fill("conseil communautaire")
    page.get_by_label("Rechercher dans le centre de ressources").press("Enter")
    expect(page.locator(".result-count")).to_contain_text("résultat")
    screenshot(page, "1-partner-1-results")
    facets = page.get_by_role("complementary", name="Affiner")
    facets.get_by_role("link", name=re.compile(r"^Communauté d'agglomération de la Porte du Hainaut")).click()
    expect(facets.locator("strong", has_text="Porte du Hainaut")).to_be_visible()
    titles = page.locator(".result-title").all_inner_texts()
    assert TITLE in titles
    screenshot(page, "1-partner-2-filtered")
    page.get_by_role("link", name=TITLE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    screenshot(page, "1-partner-3-resource")
    with page.expect_download() as download_info:
        page.locator("a.file-link").first.click()
    download = download_info.value
    assert download.suggested_filename == "caph-conseil-communautaire-2022.pdf"
    assert open(download.path(), "rb").read(5) == b"%PDF-"


def test_an_editor_creates_and_submits_a_reviewer_publishes_it_appears(page, chromium, server, tmp_path):
    title = "Étude de la cité des Provinces à Lens (navigateur)"
    pdf = tmp_path / "cite-des-provinces.pdf"
    pdf.write_bytes(make_pdf("La cité des Provinces compte 400 logements rénovés."))
    log_in(page, "editor")
    page.goto("/ressources/etudes-et-rapports/")
    page.get_by_role("link", name="Ajouter : Document").click()
    page.get_by_label(re.compile(r"^Titre\b")).fill(title)
    page.get_by_label("Résumé").fill("Réhabilitation thermique d'une cité minière, étude de cas.")
    page.get_by_label("Fichier principal").set_input_files(str(pdf))
    screenshot(page, "2-editor-1-form")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("a.file-link")).to_contain_text("cite-des-provinces.pdf")
    page.get_by_role("button", name="Soumettre à validation").click()
    expect(page.get_by_text("En validation").first).to_be_visible()
    screenshot(page, "2-editor-2-submitted")

    reviewer = chromium.new_context(base_url=server, locale="fr-FR").new_page()
    log_in(reviewer, "reviewer")
    reviewer.goto("/review")
    reviewer.get_by_role("link", name=title).click()
    reviewer.get_by_role("button", name="Publier").click()
    expect(reviewer.get_by_text("Publié").first).to_be_visible()
    screenshot(reviewer, "2-reviewer-3-published")
    reviewer.context.close()

    page.context.clear_cookies()  # a visitor now
    page.goto("/")
    expect(page.locator("#latest-title + ul")).to_contain_text(title)
    screenshot(page, "2-visitor-4-home")
    page.goto("/search?q=cité+des+Provinces")
    # The worker writes the index after the commit (docs/operations.md), seconds
    # later on a loaded machine: the visitor reloads, as one would.
    for _ in range(20):
        if page.locator(".result-title").first.text_content() == title:
            break
        page.wait_for_timeout(500)
        page.reload()
    expect(page.locator(".result-title").first).to_have_text(title)
    screenshot(page, "2-visitor-5-search")


def test_a_teacher_builds_a_selection_and_downloads_the_zip(page):
    page.goto("/enseignants")
    screenshot(page, "3-teacher-1-space")
    button = page.get_by_role("button", name=re.compile("^Ajouter à ma sélection")).first
    names = [button.text_content().split(" : ", 1)[1]]
    button.click()
    page.wait_for_load_state()
    # And a report found by search, with its PDF.
    page.get_by_label("Rechercher dans le centre de ressources").fill("rapport d'activité 2023")
    page.get_by_label("Rechercher dans le centre de ressources").press("Enter")
    page.get_by_role("button", name="Ajouter à ma sélection : Rapport d'activité 2023").click()
    names.append("Rapport d'activité 2023")
    page.get_by_role("link", name=re.compile(r"^Ma sélection \(2\)")).click()
    for name in names:
        expect(page.get_by_role("main")).to_contain_text(name)
    screenshot(page, "3-teacher-2-selection")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^Télécharger la sélection")).click()
    archive = zipfile.ZipFile(io.BytesIO(open(download_info.value.path(), "rb").read()))
    pdfs = [n for n in archive.namelist() if n.endswith("rapport-d-activite-2023.pdf")]
    assert pdfs and archive.read(pdfs[0])[:5] == b"%PDF-"
    readme = archive.read(next(n for n in archive.namelist() if n.endswith("LISEZMOI.txt"))).decode()
    assert all(name in readme for name in names)


def test_keyboard_only_search_and_open_a_result(page):
    page.goto("/")

    def tab_to(predicate, limit=60):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(predicate):
                return
        raise AssertionError(f"never reached with Tab: {predicate}")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"
    # The focus is visible: the site's outline, not the browser's default.
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    tab_to("document.activeElement.id === 'header-q'")
    page.keyboard.type("cahier technique VUE")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    screenshot(page, "4-keyboard-1-results")
    tab_to("document.activeElement.classList.contains('result-title')")
    first = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text(first)
    screenshot(page, "4-keyboard-2-resource")


def test_a_first_time_visitor_finds_the_d_a_dossier_by_its_notice_and_logs_in_to_read_it(page):
    """Search as partners type it: the dossier is for partners, its notice is
    public; the result says so and its login link comes back to it."""
    page.goto("/")
    page.get_by_label("Rechercher dans le centre de ressources").fill("héritage comme ressource D'A")
    page.get_by_label("Rechercher dans le centre de ressources").press("Enter")
    first = page.locator(".result").first
    expect(first.locator(".reserved-notice")).to_contain_text("Réservé aux partenaires")
    title = first.locator(".result-title").inner_text()
    screenshot(page, "5-visitor-1-reserved-result")
    first.get_by_role("link", name="Se connecter pour le lire").click()
    page.get_by_label("Adresse e-mail").fill(USERS["partner"])
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("main")).not_to_contain_text("réservés aux partenaires")
    screenshot(page, "5-visitor-2-dossier-as-partner")


def test_a_partial_result_and_a_search_that_finds_nothing_help_the_visitor(page, phone):
    page.goto("/search?q=expo+en+creux+zorglub")
    first = page.locator(".result").first
    expect(first.locator(".result-title")).to_have_text("Exposition « En Creux » (commande artistique du CRP/)")
    expect(first.locator(".missing")).to_have_text("Manque : zorglub")
    screenshot(page, "5-visitor-3-partial")
    page.goto("/search?q=qwxzkj")
    expect(page.locator(".no-result")).to_contain_text("qwxzkj")
    page.locator(".no-result").get_by_role("link", name="par thème").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "5-visitor-4-nothing-then-themes")
    # On a phone the results come before the facets, which fold.
    phone.goto("/search?q=terrils")
    result_top = phone.locator(".result").first.bounding_box()["y"]
    facets_top = phone.locator(".facets").bounding_box()["y"]
    assert result_top < facets_top
    assert result_top < 844  # the first result is on the first screen
    screenshot(phone, "5-visitor-5-phone-results-first")


@pytest.mark.parametrize("width", [1280, 375])
def test_the_buttons_a_visitor_clicks_lead_where_they_say(chromium, server, width):
    """The sheet, the share block, the feed link and the page numbers,
    clicked as a visitor does, on a wide screen and on a phone."""
    context = chromium.new_context(
        base_url=server, locale="fr-FR", viewport={"width": width, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.goto("/r/mbm-0024")  # the VUE guide
    with page.expect_response(lambda r: "fiche.pdf" in r.url) as sheet:
        page.get_by_role("link", name="Fiche à imprimer (PDF)").click()
    assert sheet.value.status == 200 and sheet.value.headers["content-type"] == "application/pdf"
    # Chromium shows the PDF in its viewer (what the response body then holds):
    # the file at the address the click reached is read apart.
    assert page.request.get(sheet.value.url).body()[:5] == b"%PDF-"
    page.goto("/r/mbm-0024")
    share = page.locator(".share")
    permalink = share.get_by_label("Lien permanent, à copier").input_value()
    assert "/r/" in permalink
    assert share.get_by_role("link", name="Envoyer par courriel").get_attribute("href").startswith("mailto:?subject=")
    assert "[en ligne]" in page.locator(".citation").inner_text()
    screenshot(page, f"6-visitor-{width}-1-share-and-cite")
    page.goto(permalink)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Valeur Universelle Exceptionnelle")
    page.goto("/parcourir/themes/patrimoine-mondial")
    with page.expect_response(lambda r: "flux.atom" in r.url) as feed:
        page.get_by_role("link", name=re.compile("S'abonner aux nouveautés")).click()
    assert feed.value.headers["content-type"].startswith("application/atom+xml")
    page.goto("/parcourir/themes/patrimoine-mondial")
    page.locator(".page-numbers a").first.click()
    expect(page.locator('.page-numbers [aria-current="page"]')).to_contain_text("2")
    assert "page=2" in page.url
    screenshot(page, f"6-visitor-{width}-2-page-2")
    context.close()


def test_printing_a_guide_prints_its_content_not_the_site(page):
    page.goto("/r/mbm-0024")
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden() and page.locator(".resource-actions").is_hidden()
    assert page.get_by_role("heading", level=1).is_visible()
    import pypdfium2

    printed = pypdfium2.PdfDocument(page.pdf(format="A4"))
    assert len(printed) <= 3, len(printed)  # it was 4 pages of header, menus and buttons


SVG_FONT_SIZES = """() => [...document.querySelectorAll('svg.chart text')].map(t =>
  parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a)"""
MISALIGNED = """() => [...document.querySelectorAll('table.figures-table')].flatMap(table => {
  const heads = [...table.querySelectorAll('thead th.number')].map(th => th.getBoundingClientRect().right);
  return [...table.querySelectorAll('tbody tr')].flatMap(tr =>
    [...tr.querySelectorAll('td.number')].map((td, i) => Math.abs(td.getBoundingClientRect().right - heads[i])))
    .filter(gap => gap > 1);
})"""


def test_an_administrator_reads_views_and_downloads_apart_in_the_statistics(chromium, server, page):
    # A visitor reads a report no other journey opens, and downloads it.
    visitor = chromium.new_context(base_url=server, accept_downloads=True)
    reader = visitor.new_page()
    reader.goto("/search?q=financeurs")
    reader.get_by_role("link", name="Les financeurs de la Mission Bassin Minier").first.click()
    with reader.expect_download():
        reader.locator("a[href*='@@download']").first.click()
    visitor.close()
    log_in(page, "administrator")
    page.goto("/admin/statistiques")
    row = page.locator("table.figures-table tbody tr", has_text="Les financeurs de la Mission Bassin Minier").first
    expect(row.locator("td.number")).to_have_text(["1", "1"])  # a view and a download, side by side, not "2"
    legend = page.locator(".legend")
    expect(legend).to_contain_text("Consultations")
    expect(legend).to_contain_text("Téléchargements")
    assert min(page.evaluate(SVG_FONT_SIZES)) >= 12  # the labels were drawn at about 9 px
    assert page.evaluate(MISALIGNED) == []  # figures under their headings
    screenshot(page, "7-administrator-statistics")


def test_a_journalist_finds_the_press_releases_searches_them_and_takes_a_kit(page):
    """From any page's menu to the press space: the 2023 releases newest
    first, the press reviews by year, a search within the releases."""
    page.goto("/r/mbm-0024")
    page.get_by_role("link", name="Espace presse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace presse")
    releases = page.locator(".press-list .result-title")
    expect(releases.first).to_be_visible()
    titles = releases.all_inner_texts()
    assert any("ODYSSÉE" in t for t in titles) and any("Trail des Pyramides Noires" in t for t in titles)
    expect(page.locator(".press-contact")).to_contain_text("Panorama de presse 2015")
    screenshot(page, "6-journalist-1-press-space")
    page.get_by_label("Chercher dans les communiqués et dossiers de presse").fill("Haveluy")
    page.get_by_label("Chercher dans les communiqués et dossiers de presse").press("Enter")
    first = page.locator(".result-title").first
    expect(first).to_contain_text("Le grand voyage à Haveluy")
    screenshot(page, "6-journalist-2-search-within")
    first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Haveluy")


def test_a_journalist_is_accredited_then_takes_originals_and_a_zip_from_the_gallery(page, chromium, server, site_dir):
    """Issue 19's gallery, end to end: the request form, the administrator's
    queue, the mail's password link, the gallery with its facets (axe-checked),
    an original whose IPTC holds caption and credit, a ZIP of three images
    with CREDITS.txt, and the download log."""
    from email import message_from_bytes

    from bassin_cms.gallery.metadata import read_metadata
    from tests.browser.conftest import serious_violations

    email = "lea.reporter@example.org"
    page.goto("/presse")
    page.get_by_role("link", name="Demander un accès journaliste").click()
    page.get_by_label("Nom et prénom").fill("Léa Reporter")
    page.get_by_label("Média ou rédaction").fill("France 3 Hauts-de-France")
    page.get_by_label("Adresse e-mail professionnelle").fill(email)
    page.get_by_label("Carte de presse ou référence de la rédaction").fill("Carte n° 98765")
    page.get_by_label("Objet de la demande").fill("Un sujet sur le 9-9bis pour le journal de 19 h.")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_text("Votre demande est enregistrée")).to_be_visible()
    screenshot(page, "7-gallery-1-request-sent")

    staff = chromium.new_context(base_url=server, locale="fr-FR", bypass_csp=True).new_page()
    log_in(staff, "administrator")
    staff.goto("/admin/presse/demandes")
    expect(staff.get_by_role("heading", name="Léa Reporter — France 3 Hauts-de-France")).to_be_visible()
    assert serious_violations(staff) == []
    screenshot(staff, "7-gallery-2-queue")
    staff.get_by_role("button", name="Accepter : Léa Reporter").click()
    expect(staff.get_by_text("Accès accordé à Léa Reporter")).to_be_visible()

    mails = [message_from_bytes(p.read_bytes()) for p in sorted((site_dir / "mail").glob("*"))]
    (mail,) = [m for m in mails if email in m["To"]]
    body = mail.get_payload(decode=True).decode(mail.get_content_charset() or "utf-8")
    link = re.search(r"(http://\S+/presse/mot-de-passe/\S+)", body).group(1)
    page.goto("/presse/" + link.split("/presse/", 1)[1])
    screenshot(page, "7-gallery-2b-password")
    expect(page.get_by_role("heading", level=1)).to_have_text("Choisir votre mot de passe")
    page.locator("input[type=password]").nth(0).fill("un mot de passe de presse")
    page.locator("input[type=password]").nth(1).fill("un mot de passe de presse")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill("un mot de passe de presse")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Photothèque presse")
    titles = page.locator(".gallery-title").all_inner_texts()
    assert "Site du 9-9bis" in titles and "Image sans crédit (brouillon)" not in titles
    assert serious_violations(page) == []
    screenshot(page, "7-gallery-3-gallery")

    facets = page.get_by_role("complementary", name="Affiner")
    facets.get_by_role("link", name=re.compile("^Oignies")).click()
    expect(page.locator(".gallery-title")).to_have_text(["Site du 9-9bis"])
    page.get_by_role("link", name="Site du 9-9bis", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Site du 9-9bis")
    assert serious_violations(page) == []
    screenshot(page, "7-gallery-4-image")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^Télécharger l'original")).click()
    iptc, xmp = read_metadata(open(download_info.value.path(), "rb").read())
    assert "Site du 9-9bis" in iptc["Iptc.Application2.Caption"]
    assert "Image de démonstration" in xmp["Xmp.photoshop.Credit"]

    page.goto("/presse/phototheque")
    for box in page.get_by_role("checkbox").all()[:3]:
        box.check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name=re.compile("^Télécharger les images cochées")).click()
    archive = zipfile.ZipFile(download_info.value.path())
    assert archive.namelist()[0] == "CREDITS.txt" and len(archive.namelist()) == 4
    assert archive.read("CREDITS.txt").decode().count("Crédit : © Image de démonstration") == 3

    staff.goto("/admin/presse/telechargements")
    rows = staff.locator("tbody tr").all_inner_texts()
    assert sum("Léa Reporter" in r for r in rows) == 4  # one original, three in the ZIP
    assert serious_violations(staff) == []
    screenshot(staff, "7-gallery-5-log")
    staff.context.close()


def test_an_editor_uploads_images_and_fills_their_table_without_javascript(chromium, server, tmp_path):
    from PIL import Image

    from tests.browser.conftest import serious_violations

    files = []
    for n, colour in enumerate(((30, 60, 90), (90, 60, 30))):
        path = tmp_path / f"photo-{n + 1}.jpg"
        Image.new("RGB", (900, 600), colour).save(path, "JPEG")
        files.append(str(path))
    context = chromium.new_context(base_url=server, locale="fr-FR", bypass_csp=True, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "editor")
    page.goto("/phototheque/@@televerser-images")
    page.get_by_label("Images").set_input_files(files)
    page.get_by_role("button", name="Téléverser").click()
    expect(page.get_by_text("2 image(s) ajoutée(s) en brouillon")).to_be_visible()
    page.get_by_label("Légende — photo 1").fill("Le terril 74 vu du chemin de halage.")
    page.get_by_label("Crédit — photo 1").fill("Mission Bassin Minier")
    page.get_by_label("Date — photo 2").fill("pas une date")
    page.get_by_role("button", name="Enregistrer le tableau").click()
    expect(page.get_by_role("alert")).to_contain_text("Le tableau n'a pas été enregistré")
    expect(page.get_by_label("Légende — photo 1")).to_have_value("Le terril 74 vu du chemin de halage.")
    date = page.get_by_label("Date — photo 2")
    expect(date).to_have_attribute("aria-invalid", "true")
    assert "Date non reconnue" in page.locator("#" + date.get_attribute("aria-describedby")).inner_text()
    screenshot(page, "7-gallery-6-table-error")
    page.get_by_label("Date — photo 2").fill("2024-05")
    page.get_by_role("button", name="Enregistrer le tableau").click()
    expect(page.get_by_text("2 image(s) enregistrée(s)")).to_be_visible()
    context.close()
    checked = chromium.new_context(base_url=server, locale="fr-FR", bypass_csp=True).new_page()
    log_in(checked, "editor")
    checked.goto("/phototheque/@@tableau-images")
    assert serious_violations(checked) == []
    checked.context.close()
