"""The site's clock as every process sees it: the version in the database and
the next moment at which a resource starts or stops being visible.

Read at most once every ``ttl`` seconds per process (one small query), at once
after a commit in this process, and at once when the next date is reached, so
a page kept by the page cache ends when the site changes in any process
(within ``ttl``) or when a publication date passes (to the second).
"""

import threading
import time

from sqlalchemy import func, select, union_all

from bassin_cms.content.models import Node

from .models import SiteVersion, utcnow
from .tracking import on_commit


class SiteClock:
    def __init__(self, engine, ttl=1.0):
        self.engine = engine
        self.ttl = ttl
        self._state = None
        self._read_at = 0.0
        self._lock = threading.Lock()
        on_commit(self)

    def wake(self):
        self._state = None

    def state(self):
        """(version, timestamp of the next visibility date or None); None when
        the database cannot be read (then nothing is kept or replayed)."""
        state, now = self._state, time.time()
        if state is not None and time.monotonic() - self._read_at < self.ttl and (state[1] is None or now < state[1]):
            return state
        with self._lock:
            try:
                state = self.read()
            except Exception:  # noqa: BLE001 - the caller renders pages as usual
                state = None
            self._state, self._read_at = state, time.monotonic()
        return state

    def version(self):
        state = self.state()
        return state[0] if state is not None else None

    def read(self):
        now = utcnow()
        dates = union_all(
            select(func.min(Node.effective).label("at")).where(Node.effective > now),
            select(func.min(Node.expires).label("at")).where(Node.expires > now),
        ).subquery()
        with self.engine.connect() as connection:
            version = connection.scalar(select(SiteVersion.version).where(SiteVersion.id == 1)) or 0
            boundary = connection.scalar(select(func.min(dates.c.at)))
        if boundary is not None and boundary.tzinfo is None:  # SQLite keeps no time zone: the values are UTC
            boundary = boundary.replace(tzinfo=now.tzinfo)
        return version, (boundary.timestamp() if boundary is not None else None)
