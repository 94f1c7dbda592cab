"""The worker: applies what the outbox holds, outside any visitor's request.

Each domain registers a handler for a topic (``config.add_change_handler``;
search indexes nodes). A batch of pending rows is read, each topic's handler
is called once with the node ids of its rows, and the rows are marked done, or
on failure kept with the error, their attempt count and the time of the next
try (exponential back-off, at most ``MAX_BACKOFF`` seconds): a failure is never
swallowed, `bassin-cms check` shows it, and the worker catches up by itself
once the condition ends. Applying a row twice is harmless (a handler reads the
current state of the database), so several processes may each run one.

Embedded default: a thread of the web process (``bassin.worker = thread``),
woken by every commit of that process and otherwise polling every
``bassin.worker_poll_seconds``. Production: ``bassin.worker = external`` in
the web servers' .ini and one ``bassin-cms worker`` process.
"""

import datetime as dt
import logging
import threading
import time

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from .models import Change, utcnow
from .tracking import on_commit

log = logging.getLogger(__name__)
BATCH = 500
MAX_BACKOFF = 300
KEEP_DONE = dt.timedelta(days=7)


def backoff(attempts):
    return min(MAX_BACKOFF, 2 ** max(0, attempts - 1))


class OutboxWorker:
    def __init__(self, registry, poll_seconds=2.0):
        self.registry = registry
        self.engine = registry["dbengine"]
        self.handlers = registry.setdefault("change_handlers", {})
        self.poll_seconds = poll_seconds
        self._event = threading.Event()
        self._stop = threading.Event()
        self._thread = None
        self._run_lock = threading.Lock()
        self._last_prune = 0.0

    # --- one pass ---------------------------------------------------------------
    def pending_rows(self, session, now, limit=BATCH):
        return list(
            session.scalars(
                select(Change)
                .where(Change.done_at.is_(None), or_(Change.next_attempt_at.is_(None), Change.next_attempt_at <= now))
                .order_by(Change.id)
                .limit(limit)
            )
        )

    def run_once(self, limit=BATCH):
        """Apply one batch; returns how many rows were applied (failed ones
        excluded)."""
        with self._run_lock:
            now = utcnow()
            with Session(bind=self.engine) as session:
                rows = [(r.id, r.topic, r.node_id, r.attempts) for r in self.pending_rows(session, now, limit)]
            if not rows:
                self._prune()
                return 0
            by_topic = {}
            for row_id, topic, node_id, _attempts in rows:
                by_topic.setdefault(topic, ([], set()))
                by_topic[topic][0].append(row_id)
                if node_id is not None:
                    by_topic[topic][1].add(node_id)
            applied = 0
            for topic, (row_ids, node_ids) in by_topic.items():
                error = None
                for handler in self.handlers.get(topic, ()):
                    try:
                        handler(self.registry, node_ids)
                    except Exception as exc:  # noqa: BLE001 - kept on the row, retried, shown by check
                        log.exception("outbox: %s failed for %s rows", topic, len(row_ids))
                        error = f"{type(exc).__name__}: {exc}"[:2000]
                        break
                self._mark(row_ids, {r[0]: r[3] for r in rows}, error)
                if error is None:
                    applied += len(row_ids)
            return applied

    def _mark(self, row_ids, attempts, error):
        now = utcnow()
        with Session(bind=self.engine) as session:
            if error is None:
                session.execute(update(Change).where(Change.id.in_(row_ids)).values(done_at=now, error=""))
            else:
                # One statement per attempt count (rows of a batch mostly share one).
                by_tries = {}
                for row_id in row_ids:
                    by_tries.setdefault(attempts[row_id] + 1, []).append(row_id)
                for tries, ids in by_tries.items():
                    session.execute(
                        update(Change)
                        .where(Change.id.in_(ids))
                        .values(attempts=tries, error=error, next_attempt_at=now + dt.timedelta(seconds=backoff(tries)))
                    )
            session.commit()

    def _prune(self):
        if time.monotonic() - self._last_prune < 3600:
            return
        self._last_prune = time.monotonic()
        with Session(bind=self.engine) as session:
            newest = session.scalar(select(func.max(Change.id)))
            session.execute(delete(Change).where(Change.done_at < utcnow() - KEEP_DONE, Change.id != newest))
            session.commit()

    def drain(self, timeout=30.0, retry_failed=False):
        """Apply until nothing is due (tests, `reindex`, the command's --once).
        ``retry_failed``: rows waiting for their next try are due now."""
        deadline = time.monotonic() + timeout
        if retry_failed:
            self.retry_now()
        while time.monotonic() < deadline:
            if not self.run_once():
                return True
        return False

    def retry_now(self):
        with Session(bind=self.engine) as session:
            session.execute(update(Change).where(Change.done_at.is_(None)).values(next_attempt_at=None))
            session.commit()

    # --- as a thread --------------------------------------------------------------
    def wake(self):
        self._event.set()

    def start(self):
        if self._thread is None:
            on_commit(self)
            self._thread = threading.Thread(target=self.run_forever, name="outbox-worker", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout=5.0):
        self._stop.set()
        self._event.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def run_forever(self):
        while not self._stop.is_set():
            self._event.wait(self.poll_seconds)
            self._event.clear()
            try:
                while self.run_once() and not self._stop.is_set():
                    pass
            except Exception:  # noqa: BLE001 - the database is away: try again at the next poll
                log.exception("outbox worker: pass failed")


def outbox_report(session, limit=20):
    """What `check` says of the outbox: {"pending": n, "failed": [(id, topic,
    node id, attempts, error)], "oldest_pending": datetime or None}."""
    pending = session.scalar(select(func.count()).select_from(Change).where(Change.done_at.is_(None))) or 0
    oldest = session.scalar(select(func.min(Change.created_at)).where(Change.done_at.is_(None)))
    failed = session.execute(
        select(Change.id, Change.topic, Change.node_id, Change.attempts, Change.error)
        .where(Change.done_at.is_(None), Change.attempts > 0)
        .order_by(Change.id)
        .limit(limit)
    ).all()
    failed_count = (
        session.scalar(select(func.count()).select_from(Change).where(Change.done_at.is_(None), Change.attempts > 0))
        or 0
    )
    return {
        "pending": pending,
        "failed": [tuple(r) for r in failed],
        "failed_count": failed_count,
        "oldest_pending": oldest,
    }
