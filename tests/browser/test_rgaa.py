"""RGAA criteria that axe-core does not cover (it covers about 33 of the
106), checked in Chromium on the served demo: reflow at 320 px (10.11), text
spacing (10.12), a visible focus on every focusable element (10.7), no
keyboard trap (12.9), skip links (12.7), and valid HTML with the Nu HTML
checker (8.2, vnu-jar run with the machine's Java)."""

import json
import subprocess

import pytest

from tests.browser.conftest import ROOT, screenshot

PAGES = {
    "home": "/",
    "search": "/search?q=terrils",
    "search-nothing": "/search?q=qwxzkj",
    "browse": "/parcourir/territoires/call",
    "guide": "/r/mbm-0024",
    "index": "/r/mbm-0032",
    "document": "/r/mbm-0179",
    "teachers": "/enseignants",
    "press": "/presse",
    "login": "/login",
    "statement": "/accessibilite",
}
VNU = ROOT / "tests" / "browser" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture
def narrow(chromium, server):
    context = chromium.new_context(
        base_url=server, locale="fr-FR", viewport={"width": 320, "height": 640}, bypass_csp=True
    )
    page = context.new_page()
    yield page
    context.close()


OVERFLOWING = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(e => !e.closest('.visually-hidden, .skip-link, .table-scroll'))
  .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


@pytest.mark.parametrize("name", PAGES)
def test_pages_reflow_at_320_px_without_scrolling_sideways(narrow, name):
    narrow.goto(PAGES[name])
    width = narrow.evaluate("document.documentElement.scrollWidth")
    screenshot(narrow, f"rgaa-320-{name}")
    assert width <= 320, f"{PAGES[name]} is {width}px wide at 320px: {narrow.evaluate(OVERFLOWING)}"


TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""
CLIPPED = """() => [...document.querySelectorAll('body *')].filter(e => {
  const s = getComputedStyle(e);
  const hides = ['hidden', 'clip'].includes(s.overflowX) || ['hidden', 'clip'].includes(s.overflowY);
  const text = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  return hides && text && !e.closest('.visually-hidden, .skip-link') &&
         (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1);
}).map(e => e.tagName + '.' + e.className)"""


@pytest.mark.parametrize("name", ["home", "search", "guide", "index", "login"])
def test_text_spacing_loses_no_text(page, name):
    page.goto(PAGES[name])
    page.add_style_tag(content=TEXT_SPACING)
    assert page.evaluate(CLIPPED) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    screenshot(page, f"rgaa-spacing-{name}")


FOCUSABLES = """() => [...document.querySelectorAll(
  'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, textarea, summary, ' +
  '[tabindex]:not([tabindex="-1"])'
)].filter(e => e.offsetParent !== null || getComputedStyle(e).position === 'fixed').length"""
FOCUS_SHOWN = """() => {
  const e = document.activeElement, s = getComputedStyle(e);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const ring = s.boxShadow && s.boxShadow !== 'none';
  const name = e.tagName + (e.id ? '#' + e.id : '') + ' ' + (e.textContent || e.value || '').trim().slice(0, 30);
  return [name, outline || ring];
}"""


@pytest.mark.parametrize("name", ["home", "search", "guide", "index"])
def test_every_focusable_element_shows_its_focus_and_the_keyboard_is_never_trapped(page, name):
    page.goto(PAGES[name])
    count = page.evaluate(FOCUSABLES)
    seen, hidden_focus = [], []
    for _ in range(count + 3):
        page.keyboard.press("Tab")
        label, shown = page.evaluate(FOCUS_SHOWN)
        if label.startswith("BODY"):
            break  # past the last element: the focus left the page, nothing held it
        seen.append(label)
        if not shown:
            hidden_focus.append(label)
    assert hidden_focus == [], hidden_focus[:10]
    # No trap: Tab went through every element once and out of the page.
    assert len(seen) >= count - 2, (len(seen), count)
    assert len(seen) == len(set(seen)) or len(seen) <= count + 1


def test_the_search_page_skips_to_its_results(page):
    page.goto(PAGES["search"])
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Aller aux résultats"
    page.keyboard.press("Enter")
    assert page.url.endswith("#resultats")
    page.keyboard.press("Tab")
    # The first stop after the skip is inside the results (a message, or the first result).
    assert page.evaluate("!!document.activeElement.closest('#resultats')")


def test_pages_are_valid_html(page, server, tmp_path):
    files = []
    for name, path in PAGES.items():
        source = page.request.get(path).text()  # as served, not the browser's DOM
        target = tmp_path / f"{name}.html"
        target.write_text(source, encoding="utf-8")
        files.append(str(target))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages if m["type"] == "error"
    ]
    assert errors == [], errors[:20]
