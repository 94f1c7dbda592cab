"""Test fixtures.

Migrations run once per test session (so they are under test), against SQLite or
against PostgreSQL when BASSIN_TEST_DATABASE_URL is set. Each test runs inside a
transaction rolled back at the end: the app's requests share the test's session
(environ "app.dbsession") and pyramid_tm leaves it alone ("tm.active").
"""

import io
import os
import re
import shutil
from pathlib import Path

import pytest
import transaction
import webtest
from pyramid.paster import get_appsettings
from sqlalchemy import text
from sqlalchemy.orm import Session

from bassin_cms import main
from bassin_cms.auth.services import UserService
from bassin_cms.cli.setup import migrate, seed
from bassin_cms.db import get_engine
from bassin_cms.files.services import FileService

ROOT = Path(__file__).resolve().parent.parent
INI = str(ROOT / "development.ini")
SHARED = ROOT.parent / "shared"
PASSWORD = "correct horse battery"


def database_url(var_dir):
    return os.environ.get("BASSIN_TEST_DATABASE_URL") or f"sqlite:///{var_dir}/test.sqlite"


@pytest.fixture(scope="session")
def var_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("var")


@pytest.fixture(scope="session")
def app_settings(var_dir):
    settings = dict(get_appsettings(INI))
    settings.update(
        {
            "sqlalchemy.url": database_url(var_dir),
            "bassin.var_dir": str(var_dir),
            "bassin.files_dir": str(var_dir / "files"),
            "bassin.index_dir": str(var_dir / "index"),  # never the checkout's own var/index
            "bassin.upload_max_bytes": str(5 * 1024 * 1024),
            "pyramid.reload_templates": "false",
            "bassin.mailer": "testing",
            # The page cache reads the committed database: off where tests roll
            # back (live_app turns it on); views of cached pages counted at once.
            "bassin.page_cache": "false",
            "bassin.hit_buffer_seconds": "0",
            # The outbox is applied by the tests themselves (see Drained).
            "bassin.worker": "off",
            # CI runs the suite once more with the PostgreSQL search backend.
            "bassin.search_backend": os.environ.get("BASSIN_TEST_SEARCH_BACKEND", "whoosh"),
        }
    )
    return settings


def reset_database(engine):
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def dbengine(app_settings, monkeypatch_session):
    monkeypatch_session.delenv("BASSIN_DATABASE_URL", raising=False)
    engine = get_engine(app_settings)
    reset_database(engine)
    with engine.connect() as connection:
        migrate(INI, connection=connection)
    with Session(bind=engine) as session:
        seed(session)
        session.commit()
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def monkeypatch_session():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


@pytest.fixture(scope="session")
def app(app_settings, dbengine):
    app = main({"here": str(ROOT)}, **app_settings, **{"bassin.engine": dbengine})
    app.registry["search_backend"].ensure()
    return app


class AfterEachRequest:
    """A site that does ``after()`` once each response is read, as the
    worker would a moment later."""

    def __init__(self, app):
        self.app = app
        self.registry = app.registry

    def __call__(self, environ, start_response):
        body = self.app(environ, start_response)
        try:
            return list(body)
        finally:
            if hasattr(body, "close"):
                body.close()
            self.after()


class Drained(AfterEachRequest):
    """A live site whose outbox is applied after each request: tests then see
    the index in step without waiting (the worker's own thread is tested in
    test_outbox.py)."""

    def after(self):
        self.registry["outbox_worker"].drain()


@pytest.fixture
def tm():
    manager = transaction.TransactionManager(explicit=True)
    manager.begin()
    manager.doom()
    yield manager
    manager.abort()


@pytest.fixture
def dbsession(dbengine, tm):
    connection = dbengine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    yield session
    session.close()
    outer.rollback()
    connection.close()


class FileWorkDone(AfterEachRequest):
    """The site of a test that rolls back: the worker cannot see its
    uncommitted uploads, so their file work (text, thumbnails: files/jobs.py)
    is done in the test's own session (the worker's way:
    test_file_storage_and_jobs.py)."""

    def __init__(self, app, dbsession):
        super().__init__(app)
        self.dbsession = dbsession

    def after(self):
        FileService(self.dbsession, self.registry["blob_storage"]).process_pending()


@pytest.fixture
def testapp(app, tm, dbsession):
    return webtest.TestApp(
        FileWorkDone(app, dbsession),
        extra_environ={
            "HTTP_HOST": "example.com",
            # What a browser sends with every POST (the selection's forms carry
            # no token and are checked by it: auth/origin.py).
            "HTTP_ORIGIN": "http://example.com",
            "tm.active": True,
            "tm.manager": tm,
            "app.dbsession": dbsession,
        },
    )


@pytest.fixture
def make_user(dbsession):
    def make(role="editor", email=None, password=PASSWORD):
        return UserService(dbsession).create(email or f"{role}@example.org", password, role=role, name=role.title())

    return make


def _migrated_sqlite(tmp_path_factory):
    """A SQLite file migrated and seeded once per test session: every live site
    on SQLite starts as a copy of it (the migrations are tested once, in
    test_migrations.py and by this fixture, not again for each module)."""
    template = tmp_path_factory.getbasetemp() / "migrated-template.sqlite"
    if not template.exists():
        engine = get_engine({"sqlalchemy.url": f"sqlite:///{template}"})
        with engine.connect() as connection:
            migrate(INI, connection=connection)
        with Session(bind=engine) as session:
            seed(session)
            session.commit()
        engine.dispose()
    return template


def live_app(tmp_path_factory, app_settings, name, search_backend=None):
    """(app, engine) of a site with its own database file and index directory,
    whose requests commit for real; the outbox is applied after each request.
    On SQLite, the database is a copy of one migrated once for the session;
    ``search_backend="postgresql"``: its own PostgreSQL database instead, with
    the PostgreSQL search backend (see postgres_database)."""
    var = tmp_path_factory.mktemp(name)
    search_backend = search_backend or os.environ.get("BASSIN_TEST_SEARCH_BACKEND", "whoosh")
    if search_backend == "postgresql":
        url = postgres_database(f"bassin_{name}")
    else:
        url = f"sqlite:///{var}/live.sqlite"
        shutil.copyfile(_migrated_sqlite(tmp_path_factory), var / "live.sqlite")
    settings = dict(
        app_settings,
        **{
            "sqlalchemy.url": url,
            "bassin.var_dir": str(var),
            "bassin.files_dir": str(var / "files"),
            "bassin.index_dir": str(var / "index"),
            "bassin.page_cache": "true",
            "bassin.page_cache_version_ttl": "0",
            "bassin.search_backend": search_backend,
        },
    )
    engine = get_engine(settings)
    if search_backend == "postgresql":
        with engine.connect() as connection:
            migrate(INI, connection=connection)
        with Session(bind=engine) as session:
            seed(session)
            session.commit()
    app = main({"here": str(ROOT)}, **settings, **{"bassin.engine": engine})
    app.registry["search_backend"].ensure()
    app.registry["outbox_worker"].drain()
    return Drained(app), engine


POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_database(name):
    """The URL of a new, empty PostgreSQL database ``name`` on the server of
    BASSIN_TEST_DATABASE_URL (or the machine's, 127.0.0.1:5432); the test is
    skipped when no server answers."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    admin = make_url(os.environ.get("BASSIN_TEST_DATABASE_URL") or POSTGRES_ADMIN_URL)
    if admin.get_backend_name() != "postgresql":
        admin = make_url(POSTGRES_ADMIN_URL)
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - no PostgreSQL here
        pytest.skip(f"PostgreSQL not reachable at {admin.render_as_string(hide_password=True)}: {exc}")
    finally:
        engine.dispose()
    return admin.set(database=name).render_as_string(hide_password=False)


def browser(app, email=None):
    """A visitor of a live site (see live_app), logged in when ``email`` is given."""
    testapp = webtest.TestApp(app, extra_environ={"HTTP_HOST": "example.com", "HTTP_ORIGIN": "http://example.com"})
    if email:
        login(testapp, email).follow()
    return testapp


def login(testapp, email, password=PASSWORD):
    page = testapp.get("/login")
    form = page.forms["login"]
    form["email"] = email
    form["password"] = password
    return form.submit("login")


@pytest.fixture
def editor(testapp, make_user):
    user = make_user("editor")
    login(testapp, user.email).follow()
    return user


@pytest.fixture
def admin(testapp, make_user):
    user = make_user("administrator", email="admin@example.org")
    login(testapp, user.email).follow()
    return user


def fire(testapp, page, transition):
    """Press a workflow button shown on ``page`` (a transition without comment)."""
    action = re.search(rf'action="([^"]+@@transition/{transition})"', page.text).group(1)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return testapp.post(action, {"csrf_token": token, "confirm": "1"}).follow()


def text_of(page):
    """What the page says, its whitespace collapsed."""
    return re.sub(r"\s+", " ", page.html.get_text(" "))


def make_pdf(text="Bonjour le bassin minier", pages=1):
    """A real PDF made with ReportLab, one line of text per page."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for number in range(1, pages + 1):
        pdf.drawString(72, 720, f"{text} — page {number}")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def pdf_pages(body):
    """The text of each page of a PDF, read back with pypdfium2."""
    import pypdfium2

    document = pypdfium2.PdfDocument(body)
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def csrf_token(page):
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page.text) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page.text
    )
    return match.group(1)


@pytest.fixture(scope="session")
def demo_ini(tmp_path_factory):
    """The .ini of a site with the whole demo content (initdb, load-demo), made
    once a session; skipped without ../shared beside the checkout."""
    if not (SHARED / "catalogue").exists():
        pytest.skip("the demo content (../shared) is not beside the checkout")
    from tests.relevance.run import demo_site

    return demo_site("whoosh", tmp_path_factory.mktemp("demo-whoosh"))


def demo_app(ini):
    """A WSGI app on the site of ``ini`` (no worker, no page cache)."""
    settings = dict(get_appsettings(str(ini)), **{"bassin.worker": "off", "bassin.page_cache": "false"})
    return main({"here": str(ROOT)}, **settings)


def tick(form, value, checked=True):
    """Tick (or untick) the checkbox of ``value`` in a webtest form: vocabulary
    fields are groups of checkboxes, all named "checkbox" (deform's sequences),
    each valued by its term's id."""
    boxes = [f for f in form.fields.get("checkbox", []) if f._value == str(value)]
    assert boxes, f"no checkbox of value {value}"
    for box in boxes:
        box.checked = checked


def labelled_box(page, text):
    """The checkbox (a BeautifulSoup tag) whose label reads ``text``."""
    for label in page.html.select("label"):
        if label.get_text(" ", strip=True) != text:
            continue
        box = label.select_one("input[type=checkbox]") or page.html.find(id=label.get("for"))
        if box is not None and box.get("type") == "checkbox":
            return box
    raise AssertionError(f"no checkbox labelled {text!r}")


def tick_labelled(page, form, text, checked=True):
    """Tick the checkbox whose label reads ``text``, as a user picks it."""
    tick(form, labelled_box(page, text)["value"], checked)


# An S3 endpoint (moto's server mode) for the blob store's tests: tests/s3.py.
from tests.s3 import moto_endpoint, s3_settings  # noqa: E402, F401
