"""Browser tests: a real server (pserve + waitress, as `make serve` runs it)
on its own database with the demo content, driven by Debian's Chromium
through Playwright, with axe-core (tests/browser/node_modules, `npm ci`)
for the accessibility checks. Screenshots go to var/screenshots/.

Run with `make test-browser` (it installs what they need)."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bassin_cms.cli.setup import site_ini

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
PASSWORD = "correct horse battery"
USERS = {
    "editor": "claire.editrice@example.org",
    "reviewer": "paul.relecteur@example.org",
    "partner": "agnes.partenaire@example.org",
    "administrator": "marie.administratrice@example.org",
}


def chromium_path():
    return os.environ.get("BASSIN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cli(ini, *args, stdin=None):
    subprocess.run(
        [str(BIN / "bassin-cms"), "--config", str(ini), *args],
        input=stdin,
        text=True,
        check=True,
        stdout=subprocess.DEVNULL,
    )


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory):
    """The var directory of the browser tests' site (its mail is in mail/)."""
    return tmp_path_factory.mktemp("browser-site")


@pytest.fixture(scope="session")
def server(site_dir):
    """The base URL of a running site with the demo content and four accounts."""
    var = site_dir
    port = _free_port()
    ini = site_ini(ROOT / "development.ini", var, port)
    _cli(ini, "initdb")
    _cli(ini, "load-demo")
    for role, email in USERS.items():
        _cli(ini, "create-user", email, "--role", role, "--name", email.split(".")[0].title(), stdin=PASSWORD + "\n")
    log = open(var / "server.log", "w")
    process = subprocess.Popen([str(BIN / "pserve"), str(ini)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/robots.txt", timeout=1)
            break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError((var / "server.log").read_text())
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(10)
    log.close()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, server):
    # bypass_csp: the site refuses every script; axe-core is the test's own.
    context = chromium.new_context(
        base_url=server, locale="fr-FR", accept_downloads=True, bypass_csp=True, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def phone(chromium, server):
    context = chromium.new_context(
        base_url=server,
        locale="fr-FR",
        viewport={"width": 390, "height": 844},
        bypass_csp=True,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def log_in(page, role):
    page.goto("/login")
    page.get_by_label("Adresse e-mail").fill(USERS[role])
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def serious_violations(page):
    """axe-core's WCAG 2.1 A/AA violations of impact serious or critical."""
    page.add_script_tag(content=AXE.read_text())
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — " + ", ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
