"""Views of kept pages, buffered by a server process, survive its stop: a
SIGTERM writes the buffer before exiting, and a kill -9 loses nothing older
than the flush interval (the timer wrote it)."""

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from bassin_cms.content.models import Document, Folder
from bassin_cms.content.services import ContentService
from bassin_cms.statistics.models import DailyCount
from tests.servers import Server, fetch, make_site, session_cookie

PAGES = 6
BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}
ROBOT = {"User-Agent": "curl/8.0"}  # not counted: it fills the page cache only


@pytest.fixture
def site(tmp_path):
    ini = make_site(tmp_path, bassin__hit_buffer_seconds=1)
    engine = create_engine(f"sqlite:///{tmp_path}/bassin.sqlite")
    with Session(bind=engine) as session:
        content = ContentService(session)
        folder = content.create(content.root(), Folder, title="Ressources")
        paths = [
            f"/ressources/{content.create(folder, Document, title=f'Étude n° {n}', state='published').name}/"
            for n in range(PAGES)
        ]
        session.commit()
    yield ini, engine, paths
    engine.dispose()


def views(engine):
    with Session(bind=engine) as session:
        return session.scalar(select(func.coalesce(func.sum(DailyCount.count), 0)).where(DailyCount.action == "view"))


def view_kept_pages(server, paths):
    """Each page once from the page cache, as a visitor with a session."""
    _status, headers, _body = fetch(server.url + "/login", ROBOT)
    robot = session_cookie(headers)
    for path in paths:
        fetch(server.url + path, ROBOT, cookies=robot)  # rendered, kept
    _status, headers, _body = fetch(server.url + "/login", BROWSER)
    visitor = session_cookie(headers)
    for path in paths:
        status, headers, _body = fetch(server.url + path, BROWSER, cookies=visitor)
        assert status == 200 and headers["ETag"]


def test_sigterm_writes_the_buffered_views_before_exiting(site):
    ini, engine, paths = site
    server = Server(ini).start()
    view_kept_pages(server, paths)
    server.stop("terminate")
    assert views(engine) == PAGES


def test_kill_9_loses_no_view_older_than_the_flush_interval(site):
    import time

    ini, engine, paths = site
    server = Server(ini).start()
    view_kept_pages(server, paths)
    time.sleep(2.5)  # more than bassin.hit_buffer_seconds = 1
    server.stop("kill")
    assert views(engine) == PAGES


def test_a_failed_flush_keeps_the_views_for_the_next_one(tmp_path):
    from bassin_cms.portal.caching import PageCache

    class Clock:
        def state(self):
            return (1, None)

    away = create_engine("postgresql+psycopg://nobody@127.0.0.1:9/nowhere")
    cache = PageCache(Clock(), away, "secret", buffer_seconds=10)
    cache.count(1, "192.0.2.10", BROWSER["User-Agent"])
    cache.count(2, "192.0.2.10", BROWSER["User-Agent"])
    assert cache.flush() == 0 and len(cache.hits) == 2  # the database is away: kept, no error raised
    engine = create_engine(f"sqlite:///{tmp_path}/counts.sqlite")
    from bassin_cms.db import Base

    Base.metadata.create_all(
        engine,
        tables=[
            DailyCount.__table__,
            __import__("bassin_cms.statistics.models", fromlist=["RecentHit"]).RecentHit.__table__,
        ],
    )
    cache.engine = engine
    assert cache.flush() == 2 and cache.hits == []
