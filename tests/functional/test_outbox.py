"""The database drives indexing and caching: every change writes its outbox
rows and moves the site's version in its own transaction; the worker applies
the rows outside the request, retries what failed and catches up by itself;
kept pages follow the version and the publication dates, whatever the index
is doing."""

import datetime as dt
import os
import shutil
import time

import pytest
import webtest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from whoosh.index import open_dir

from bassin_cms.auth.services import UserService
from bassin_cms.changes.models import Change, SiteVersion
from bassin_cms.changes.worker import OutboxWorker
from bassin_cms.content.models import Document, Folder
from bassin_cms.content.services import ContentService
from bassin_cms.search.indexing import Indexer
from tests.conftest import PASSWORD, browser, fire, live_app


@pytest.fixture
def site(tmp_path_factory, app_settings):
    """A live site of its own per test (the tests lock, break and remove its index)."""
    app, engine = live_app(tmp_path_factory, app_settings, "outbox")
    with Session(bind=engine) as session:
        UserService(session).create("reviewer@example.org", PASSWORD, "reviewer", "Paul")
        content = ContentService(session)
        folder = content.create(content.root(), Folder, title="Ressources")
        for title in ("Étude des chevalements de Wallers", "Guide des cités minières"):
            content.create(folder, Document, title=title, state="published", summary="Une notice publique.")
        session.commit()
    app.registry["outbox_worker"].drain()
    return app


# Whoosh is a side store that can fall behind, lock, fill up or break; the
# PostgreSQL backend is written in the change's own transaction (its own
# guarantees are in test_search_contract.py).
side_store = pytest.mark.skipif(
    os.environ.get("BASSIN_TEST_SEARCH_BACKEND", "whoosh") != "whoosh",
    reason="about an index kept beside the database (Whoosh)",
)


def found(app, query):
    visitor = webtest.TestApp(app.app, extra_environ={"HTTP_HOST": "example.com"})  # not drained
    return [r["title"] for r in visitor.get("/search.json", {"q": query}).json["results"]]


def version(app):
    with Session(bind=app.registry["dbengine"]) as session:
        return session.scalar(select(SiteVersion.version))


def pending(app):
    with Session(bind=app.registry["dbengine"]) as session:
        return session.scalar(select(func.count()).select_from(Change).where(Change.done_at.is_(None)))


def kept_visitor(app, path):
    """An anonymous visitor whose second visit of ``path`` comes from the page cache."""
    visitor = browser(app)
    visitor.get("/login")
    assert visitor.get(path).status_int == 200
    return visitor


@side_store
def test_a_change_writes_its_outbox_row_and_moves_the_version_in_its_transaction(site):
    before, rows_before = version(site), pending(site)
    reviewer = browser(site.app, "reviewer@example.org")  # the raw app: nothing applied after
    page = reviewer.get("/ressources/etude-des-chevalements-de-wallers/")
    fire(reviewer, page, "retract")
    assert version(site) > before
    with Session(bind=site.registry["dbengine"]) as session:
        node_id = ContentService(session).by_path("/ressources/etude-des-chevalements-de-wallers").id
        rows = session.scalars(select(Change).where(Change.done_at.is_(None))).all()
    assert pending(site) > rows_before and node_id in {r.node_id for r in rows}
    # Not applied in the request: the index still has it, until the worker runs.
    assert "Étude des chevalements de Wallers" in [
        r for r in Indexer(site.registry).index.stored_nodes().values() for r in [r["meta"]["title"]]
    ]
    site.registry["outbox_worker"].drain()
    assert pending(site) == 0
    assert found(site, "chevalements wallers") == []


@side_store
def test_a_locked_index_never_keeps_a_retracted_page_and_the_outbox_catches_up(site, monkeypatch):
    path = "/ressources/etude-des-chevalements-de-wallers/"
    visitor = kept_visitor(site, path)
    assert visitor.get(path).status_int == 200  # from the page cache
    monkeypatch.setattr("bassin_cms.search.index.LOCK_TIMEOUT", 0.2)
    lock = open_dir(site.registry["search_backend"].directory).lock("WRITELOCK")
    assert lock.acquire()  # another process is writing, for long
    try:
        reviewer = browser(site, "reviewer@example.org")
        fire(reviewer, reviewer.get(path), "retract")  # drained: the index write fails
        assert visitor.get(path, expect_errors=True).status_int in (303, 403, 404)  # no stale copy
        result = CliRunner().invoke(cli_main(), ["--config", site_ini(site), "check"])
        assert result.exit_code == 1
        assert "changements en échec : 1" in result.output and "verrouillé" in result.output
        assert pending(site) == 1
    finally:
        lock.release()
    # Once the lock is gone, the row's next try succeeds by itself.
    worker = site.registry["outbox_worker"]
    with Session(bind=site.registry["dbengine"]) as session:
        row = session.scalars(select(Change).where(Change.done_at.is_(None))).one()
        wait = (row.next_attempt_at.replace(tzinfo=dt.UTC) - dt.datetime.now(dt.UTC)).total_seconds()
    time.sleep(max(0, wait) + 0.1)
    assert worker.run_once() == 1
    assert pending(site) == 0 and found(site, "chevalements wallers") == []


@side_store
def test_a_server_killed_between_commit_and_index_write_loses_nothing(site):
    """The raw app (no worker), then a new worker, as after a restart."""
    reviewer = browser(site.app, "reviewer@example.org")
    page = reviewer.get("/ressources/guide-des-cites-minieres/@@edit")
    form = page.forms["deform"]
    form["title"] = "Guide des cités minières et des corons"
    form.submit("save")
    assert found(site, "corons") == []  # committed, not indexed: the "crash"
    assert OutboxWorker(site.registry).drain()
    assert found(site, "corons") == ["Guide des cités minières et des corons"]


@side_store
def test_the_worker_thread_indexes_what_a_request_commits(site):
    worker = site.registry["outbox_worker"]
    worker.start()
    try:
        reviewer = browser(site.app, "reviewer@example.org")
        form = reviewer.get("/ressources/guide-des-cites-minieres/@@edit").forms["deform"]
        form["title"] = "Guide des cités minières et des jardins ouvriers"
        form.submit("save")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and found(site, "jardins ouvriers") == []:
            time.sleep(0.05)
        assert found(site, "jardins ouvriers") == ["Guide des cités minières et des jardins ouvriers"]
    finally:
        worker.stop()


def test_a_passing_unpublication_date_ends_the_kept_page_to_the_second(site):
    path = "/ressources/guide-des-cites-minieres/"
    with Session(bind=site.registry["dbengine"]) as session:
        node = ContentService(session).by_path(path.rstrip("/"))
        expires = node.expires = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=4)
        session.commit()
    visitor = kept_visitor(site, path)
    assert visitor.get(path).status_int == 200
    time.sleep(max(0.0, (expires - dt.datetime.now(dt.UTC)).total_seconds()) + 0.2)
    assert visitor.get(path, expect_errors=True).status_int in (303, 403, 404)
    # The home page's "latest" list with it.
    assert "Guide des cités minières" not in visitor.get("/").text


@side_store
def test_an_unreadable_index_leaves_pages_up_and_check_says_so_in_one_line(site):
    index = site.registry["search_backend"]
    segments = [f for f in os.listdir(index.directory) if f.endswith((".trm", ".pst", ".seg"))]
    for name in segments:
        with open(os.path.join(index.directory, name), "r+b") as fp:
            fp.write(b"\x00garbage\xff" * 8)
    index.drop_searcher()
    visitor = browser(site)
    assert visitor.get("/ressources/guide-des-cites-minieres/").status_int == 200
    home = visitor.get("/")
    assert home.status_int == 200 and "Rechercher dans le centre de ressources" in home.text
    search = visitor.get("/search", {"q": "cités"}, status=503)
    assert "en cours de réparation" in search.text
    assert visitor.get("/api/resources", status=503).json["error"]
    result = CliRunner().invoke(cli_main(), ["--config", site_ini(site), "check"])
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if line.startswith("index de recherche")] == [
        next(line for line in result.output.splitlines() if "index illisible" in line)
    ]
    assert "Traceback" not in result.output


@side_store
def test_check_reports_a_missing_index_and_never_creates_one(site):
    index = site.registry["search_backend"]
    shutil.rmtree(index.directory)
    index.drop_searcher()
    result = CliRunner().invoke(cli_main(), ["--config", site_ini(site), "check"])
    assert result.exit_code == 1 and "index absent" in result.output
    assert not os.path.exists(index.directory)
    assert browser(site).get("/search", {"q": "cités"}, status=503)
    assert not os.path.exists(index.directory)


def test_reindex_keeps_what_was_committed_while_it_ran(site, monkeypatch):
    """An edit and a retraction committed during the build are in the new index."""
    indexer = Indexer(site.registry)
    documents = indexer.all_documents

    def slow_documents(session, **kw):
        yield from documents(session, **kw)
        reviewer = browser(site.app, "reviewer@example.org")  # committed after the build read the rows
        form = reviewer.get("/ressources/guide-des-cites-minieres/@@edit").forms["deform"]
        form["title"] = "Guide des cités minières et des estaminets"
        form.submit("save")
        fire(reviewer, reviewer.get("/ressources/etude-des-chevalements-de-wallers/"), "retract")

    monkeypatch.setattr(indexer, "all_documents", slow_documents)
    indexer.rebuild()
    assert found(site, "estaminets") == ["Guide des cités minières et des estaminets"]
    assert found(site, "chevalements wallers") == []
    assert indexer.check()["stale"] == []


def cli_main():
    from bassin_cms.cli import main

    return main


def site_ini(app):
    """An .ini naming the live site's database and directories."""
    import configparser

    from tests.conftest import INI

    settings = app.registry.settings
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(INI)
    parser["app:main"].update(
        {
            "sqlalchemy.url": str(app.registry["dbengine"].url.render_as_string(hide_password=False)),
            "bassin.var_dir": settings["bassin.var_dir"],
            "bassin.files_dir": settings["bassin.files_dir"],
            "bassin.index_dir": settings["bassin.index_dir"],
            "bassin.worker": "off",
            "bassin.search_backend": settings.get("bassin.search_backend", "whoosh"),
        }
    )
    # The blob store, whichever it is (an S3 bucket's settings).
    parser["app:main"].update({k: v for k, v in settings.items() if k.startswith(("bassin.blob_store", "bassin.s3."))})
    for key, value in parser["app:main"].items():
        parser["app:main"][key] = value.replace("%(here)s", os.path.dirname(INI))
    for key, value in parser["alembic"].items():
        parser["alembic"][key] = value.replace("%(here)s", os.path.dirname(INI))
    path = os.path.join(settings["bassin.var_dir"], "check.ini")
    with open(path, "w") as fp:
        parser.write(fp)
    return path


@side_store
def test_a_full_disk_under_the_index_is_caught_up_once_space_is_back(site, monkeypatch):
    path = "/ressources/etude-des-chevalements-de-wallers/"
    visitor = kept_visitor(site, path)
    index = site.registry["search_backend"]
    update = type(index).update

    def full_disk(self, documents_by_node, lock_timeout=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(type(index), "update", full_disk)
    reviewer = browser(site, "reviewer@example.org")
    fire(reviewer, reviewer.get(path), "retract")
    assert visitor.get(path, expect_errors=True).status_int in (303, 403, 404)
    with Session(bind=site.registry["dbengine"]) as session:
        row = session.scalars(select(Change).where(Change.done_at.is_(None))).one()
    assert row.attempts == 1 and "No space left on device" in row.error
    monkeypatch.setattr(type(index), "update", update)
    assert site.registry["outbox_worker"].drain(retry_failed=True)
    assert pending(site) == 0 and found(site, "chevalements wallers") == []


def test_a_vocabulary_edit_moves_the_version_even_when_no_resource_uses_the_term(site):
    before = version(site)
    from bassin_cms.content.models import Term

    with Session(bind=site.registry["dbengine"]) as session:
        term = session.scalars(select(Term).where(Term.vocabulary == "theme")).first()
        term.aliases = (term.aliases or "") + ", un autre nom"
        session.commit()
    assert version(site) == before + 1


@side_store
def test_a_kept_search_page_is_replaced_once_the_worker_has_indexed_the_change(site):
    """Search pages are kept by the page cache for visitors without a session.
    A change commits (the version moves) before the index is written: a page
    rendered in between must not outlive the index write."""
    raw = webtest.TestApp(site.app, extra_environ={"HTTP_HOST": "example.com"})  # nothing applied after
    query = {"q": "terril"}
    assert "Inventaire des terrils" not in raw.get("/search", query).text
    assert raw.get("/search", query).headers["X-Page-Cache"] == "hit"
    with Session(bind=site.registry["dbengine"]) as session:
        content = ContentService(session)
        folder = content.root().children[0]
        content.create(folder, Document, title="Inventaire des terrils", state="published", summary="Notice.")
        session.commit()
    # Committed, not yet indexed: the page is rendered again, still without it.
    between = raw.get("/search", query)
    assert "X-Page-Cache" not in between.headers and "Inventaire des terrils" not in between.text
    assert raw.get("/search", query).headers["X-Page-Cache"] == "hit"
    site.registry["outbox_worker"].drain()
    after = raw.get("/search", query)
    assert "X-Page-Cache" not in after.headers and "Inventaire des terrils" in after.text
