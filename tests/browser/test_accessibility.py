"""axe-core (WCAG 2.1 A and AA rules) in Chromium on the pages issue 7 names:
no serious or critical violation is tolerated. Also: a page with a form
error announces it and links it to its field; the site is usable on a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot, serious_violations

PUBLIC_PAGES = {
    "home": "/",
    "search": "/search?q=terrils",
    "search-partial": "/search?q=expo+en+creux+zorglub",
    "search-nothing": "/search?q=qwxzkj",
    "browse": "/parcourir/territoires/call",
    "statement": "/accessibilite",
    "login": "/login",
    "press": "/presse",
    "document": "/r/mbm-0179",  # Rapport d'activité 2023
    "index": "/r/mbm-0032",  # Index du site classé de la Chaîne des terrils
    "guide": "/r/mbm-0024",  # Cahier technique VUE
    "feature-notice": "/r/mbm-0031",  # Dossier D'A (notice for the public)
}


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_have_no_serious_violation(page, name):
    page.goto(PUBLIC_PAGES[name])
    screenshot(page, f"a11y-{name}")
    assert serious_violations(page) == []


def test_poster_page_has_no_serious_violation(page):
    log_in(page, "editor")  # the demo's poster is a draft waiting to be submitted
    page.goto("/search?q=terrils+classés+de+la+CALL")
    page.get_by_role("link", name="Les terrils classés de la CALL", exact=True).click()
    expect(page.locator("main")).to_contain_text("Poster")
    screenshot(page, "a11y-poster")
    assert serious_violations(page) == []


def test_staff_pages_have_no_serious_violation(page):
    log_in(page, "partner")
    page.goto("/r/mbm-0031")  # the dossier in full, for a partner
    assert serious_violations(page) == []
    page.context.clear_cookies()
    log_in(page, "editor")
    page.goto("/r/mbm-0179")
    page.get_by_role("link", name="Modifier", exact=True).click()
    screenshot(page, "a11y-edit-form")
    assert serious_violations(page) == []
    # A failed form: a summary, each error tied to its field, all still checked.
    page.get_by_label(re.compile(r"^Titre\b")).fill("")
    page.get_by_role("button", name="Enregistrer").click()
    summary = page.get_by_role("alert")
    expect(summary.first).to_be_visible()
    title = page.get_by_label(re.compile(r"^Titre\b"))
    described = title.get_attribute("aria-describedby") or ""
    assert described and page.locator(f"#{described.split()[0]}").inner_text().strip()
    assert title.get_attribute("aria-invalid") == "true"
    screenshot(page, "a11y-edit-form-error")
    assert serious_violations(page) == []


def test_pages_fit_a_phone_screen(phone):
    for path in ("/", "/search?q=terrils", "/r/mbm-0024"):
        phone.goto(path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide on a 390px screen"
    screenshot(phone, "phone-guide")


def test_the_checker_reports_what_it_should(page):
    """Guards the checks above: axe really runs and a real failure is caught."""
    page.goto("/")
    page.evaluate("""() => { const input = document.createElement('input');
                             document.querySelector('main').appendChild(input); }""")
    assert [v.split(" ")[0] for v in serious_violations(page)] == ["label"]


def test_english_pages_have_no_serious_violation(page):
    page.goto("/")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Resource centre of the Mission Bassin Minier")
    assert serious_violations(page) == []
    page.goto("/r/mbm-0024")
    expect(page.get_by_role("heading", level=1)).to_have_attribute("lang", "fr")
    screenshot(page, "a11y-guide-english")
    assert serious_violations(page) == []
