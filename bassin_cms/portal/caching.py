"""HTTP caching of public pages.

Anyone logged in gets ``Cache-Control: private, no-store`` on every page:
what staff and partners see is never kept by a browser or a proxy, nor by
the page cache below. An anonymous visitor's pages are ``private,
no-cache``: they carry the visitor's session (CSRF tokens, the selection),
so no shared cache may keep them, but the browser may revalidate them.

The page cache (one per process, in memory) keeps the HTML of the views
declared ``conditional=True`` (the home page and every resource page) as an
anonymous visitor with an empty selection sees them, the visitor's CSRF
token replaced by a marker. It is keyed by the address, the language, the
hour (the home page's "most consulted") and the site's clock
(changes/clock.py): the version in the database, which every transaction
that changes a node, a file, a term or a guide's contact moves, read at most
once a second by every process, and the next date at which a resource starts
or stops being visible, so a publication date that passes ends the copies
kept to the second. A visitor who sends the page's ETag back gets 304 Not
Modified; a visitor with a selection, a message to show or no session yet
gets the page rendered as before.

A page served from the cache still counts a view: the hit is buffered and
written by a timer thread every ``bassin.hit_buffer_seconds`` (10 by
default; 0 writes at once), outside visitors' requests; a stop by SIGTERM
writes the buffer first, a failed write keeps it for the next try, so only a
kill -9 loses anything: at most those seconds of counting. A 304 counts
nothing: the browser shows the copy it has.

Settings: ``bassin.page_cache`` (true), ``bassin.page_cache_version_ttl``
(1 second; 0 reads the site's version on every request). The functional
tests turn the cache off: their changes are never committed, so the index
never moves the site's version.
"""

import atexit
import datetime as dt
import hashlib
import logging
import os
import signal
import threading
import time
from collections import OrderedDict

from pyramid.authentication import SessionAuthenticationHelper
from pyramid.events import NewResponse, subscriber
from pyramid.request import Request
from sqlalchemy.orm import Session

from bassin_cms.selection.services import Selection
from bassin_cms.statistics.services import WINDOW, StatisticsService, truncated_address

CACHEABLE = "bassin.cacheable"
MARKER_BYTES = b"\x00csrf-token\x00"
CSRF_KEY = "_csrft_"  # pyramid's SessionCSRFStoragePolicy default
MAX_ENTRIES = 2000
MAX_BUFFERED = 100_000  # hits kept across failed flushes, at most
log = logging.getLogger(__name__)


def conditional_view(view, info):
    """``conditional=True``: the page may be kept by the page cache (it then
    depends only on what the cache's key and the session hold)."""
    if not info.options.get("conditional"):
        return view

    def wrapper(context, request):
        # The node whose view a cached copy counts (none for the home page).
        request.environ[CACHEABLE] = context.id if getattr(context, "parent_id", None) is not None else None
        return view(context, request)

    return wrapper


conditional_view.options = ("conditional",)


class PageCache:
    def __init__(self, clock, engine, secret, buffer_seconds):
        self.clock = clock
        self.engine = engine
        self.secret = secret
        self.buffer_seconds = buffer_seconds
        self.entries = OrderedDict()
        self.lock = threading.Lock()
        self.hits = []
        self.flush_lock = threading.Lock()
        self._timer = None
        self.recent = {}

    def key(self, request):
        state = self.clock.state()
        if state is None:
            return None
        return (request.host, request.path_qs, request.locale_name, int(time.time()) // 3600, state)

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        with self.lock:
            self.entries[key] = entry
            while len(self.entries) > MAX_ENTRIES:
                self.entries.popitem(last=False)

    @staticmethod
    def etag(key, token):
        return hashlib.sha256(repr((key, token)).encode()).hexdigest()[:32]

    # --- counting the views of cached pages --------------------------------------
    def count(self, node_id, address, user_agent):
        now = time.monotonic()
        seen = (node_id, truncated_address(address))  # the counter's notion of a visitor
        if now - self.recent.get(seen, -1e9) < WINDOW.total_seconds():  # the counter's own rule, before any work
            return
        with self.lock:
            self.recent[seen] = now
            if len(self.recent) > 10000:
                self.recent.clear()
            self.hits.append((node_id, address, user_agent, dt.datetime.now(dt.UTC)))
        if self.buffer_seconds <= 0:
            self.flush()

    def flush(self):
        """Write the buffered hits; on failure (the database away) they stay
        in the buffer for the next try. Never called from a visitor's request
        when buffering (the timer does it), so no visitor gets its error."""
        with self.flush_lock:
            with self.lock:
                hits, self.hits = self.hits, []
            if not hits:
                return 0
            try:
                with Session(bind=self.engine) as session:
                    service = StatisticsService(session, self.secret)
                    for node_id, address, user_agent, at in hits:
                        service.record(node_id, "view", address, user_agent, now=at)
                    session.commit()
            except Exception:  # noqa: BLE001 - kept for the next flush
                log.warning("views not written yet (%s kept for the next try)", len(hits), exc_info=True)
                with self.lock:
                    self.hits[:0] = hits[-MAX_BUFFERED:]
                return 0
            return len(hits)

    def start_timer(self):
        """Flush every ``buffer_seconds`` from a thread of its own."""
        if self.buffer_seconds <= 0 or self._timer is not None:
            return

        def run():
            while True:
                time.sleep(self.buffer_seconds)
                self.flush()

        self._timer = threading.Thread(target=run, name="hit-buffer", daemon=True)
        self._timer.start()


def flush_on_sigterm(cache):
    """A service stop (SIGTERM) writes the buffer, then stops as it would
    have (atexit does not run on a signal). Only from the main thread, and
    only if nobody else handles SIGTERM."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, None):
        return

    def stop(signum, frame):
        cache.flush()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)


def logged_in(request):
    """Whether the session names a user: read from the session alone, as the
    cache works outside the request's transaction (no user loaded)."""
    return SessionAuthenticationHelper().authenticated_userid(request) is not None


class PageCacheMiddleware:
    """WSGI middleware around the Pyramid application: a kept page is served,
    or a 304 answered, before Pyramid builds its request (measured: half the
    time of the same check as a tween). Pages are rendered by Pyramid as
    always; this only keeps and replays them."""

    def __init__(self, app, registry):
        settings = registry.settings
        self.app = app
        self.registry = registry
        self.cache = PageCache(
            registry["site_clock"],
            registry["dbengine"],
            settings.get("bassin.session_secret", ""),
            float(settings.get("bassin.hit_buffer_seconds", 10)),
        )
        registry["page_cache"] = self.cache
        atexit.register(self.cache.flush)
        self.cache.start_timer()
        flush_on_sigterm(self.cache)

    def _visitor(self, environ):
        """(request, CSRF token) of an anonymous visitor with a session holding
        a token, no selection and no message to show; else None."""
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or "bassin_session=" not in environ.get("HTTP_COOKIE", ""):
            return None
        request = Request(environ)
        request.registry = self.registry
        session = request.session
        token = session.get(CSRF_KEY)
        if (
            not token
            or logged_in(request)
            or Selection(session).ids()
            or session.peek_flash()
            or session.peek_flash("success")
        ):
            return None
        return request, token

    def __call__(self, environ, start_response):
        visitor = self._visitor(environ)
        if visitor is None:
            return self.app(environ, start_response)
        request, token = visitor
        cache = self.cache
        key = cache.key(request)
        if key is None:
            return self.app(environ, start_response)
        etag = cache.etag(key, token)
        entry = cache.get(key)
        if entry is not None:
            headers = [("ETag", f'"{etag}"'), ("Cache-Control", "private, no-cache"), ("Vary", "Cookie")]
            if etag in request.if_none_match:
                start_response("304 Not Modified", headers)
                return []
            node_id, content_type, body = entry
            body = body.replace(MARKER_BYTES, token.encode())
            if node_id is not None:
                cache.count(node_id, request.client_addr, request.user_agent)
            start_response("200 OK", headers + [("Content-Type", content_type), ("Content-Length", str(len(body)))])
            return [body] if environ["REQUEST_METHOD"] == "GET" else []
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            if status.startswith("200 ") and CACHEABLE in environ:
                headers = headers + [("ETag", f'"{etag}"')]
            return start_response(status, headers, exc_info)

        body = self.app(environ, capture)
        if not (
            captured.get("status", "").startswith("200 ")
            and CACHEABLE in environ
            and environ["REQUEST_METHOD"] == "GET"
        ):
            return body
        chunks = list(body)
        if hasattr(body, "close"):
            body.close()
        content_type = dict((k.lower(), v) for k, v in captured["headers"]).get("content-type", "text/html")
        cache.put(key, (environ[CACHEABLE], content_type, b"".join(chunks).replace(token.encode(), MARKER_BYTES)))
        return chunks


def wrap(app, registry):
    """The application, behind the page cache when ``bassin.page_cache`` is on."""
    if registry.settings.get("bassin.page_cache", "true").lower() != "true":
        return app
    return PageCacheMiddleware(app, registry)


@subscriber(NewResponse)
def cache_policy(event):
    request, response = event.request, event.response
    if request.path.startswith("/static/"):
        return
    if logged_in(request):
        response.cache_control = "private, no-store"
    elif "Cache-Control" not in response.headers:
        response.cache_control = "private, no-cache"
    if "Cookie" not in (response.vary or ()):
        response.vary = tuple(response.vary or ()) + ("Cookie",)
