"""HTTP caching of public pages.

Three kinds of request, one rule (``policy``):

- anyone logged in: ``private, no-store`` on every page; never kept by a
  browser, a proxy or the page cache below;
- a visitor whose request carries a session (a selection, a message to show,
  a form begun) or whose answer sets a cookie: ``private, no-cache``, the
  browser may revalidate;
- any other visitor, the first-time visitor above all (from a search engine,
  a QR code, a link in a PDF, a harvester): ``public, max-age=0,
  s-maxage=<bassin.shared_cache_seconds>`` with an ETag, ``Vary: Cookie``. An
  anonymous page carries nothing of its visitor (no CSRF token: the
  selection's forms are checked by their origin, auth/origin.py; the language
  is a preference cookie, portal/i18n.py), so the same bytes serve everyone
  with the same cookies, and a shared cache (deploy/nginx.conf) may keep them
  that many seconds. Browsers revalidate every time (max-age=0) and get 304.

The page cache (one per process, in memory) keeps the HTML of the views
declared ``conditional=True`` (the home page and every resource page) as such
a visitor sees them. It serves first-time visitors and visitors whose
session holds no user, no selection and no message. It is keyed by the
address, the language, the hour (the home page's "most consulted") and the
site's clock (changes/clock.py): the version in the database, which every
transaction that changes a node, a file, a term or a guide's contact moves,
read at most once a second by every process, and the next date at which a
resource starts or stops being visible, so a publication date that passes
ends the copies kept to the second. A visitor who sends the page's ETag back
gets 304 Not Modified.

A page served from the cache still counts a view: the hit is buffered and
written by a timer thread every ``bassin.hit_buffer_seconds`` (10 by
default; 0 writes at once), outside visitors' requests; a stop by SIGTERM
writes the buffer first, a failed write keeps it for the next try, so only a
kill -9 loses anything: at most those seconds of counting. A 304 counts
nothing: the browser shows the copy it has.

Settings: ``bassin.page_cache`` (true), ``bassin.page_cache_version_ttl``
(1 second; 0 reads the site's version on every request),
``bassin.shared_cache_seconds`` (60: how long a proxy may serve a page
without asking; the delay after which a retraction is seen through it). The
functional tests turn the page cache off: their changes are never committed,
so the index never moves the site's version.
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
from pyramid.settings import asbool
from sqlalchemy.orm import Session

from bassin_cms.selection.services import Selection
from bassin_cms.statistics.services import WINDOW, StatisticsService, truncated_address

CACHEABLE = "bassin.cacheable"
SESSION_COOKIE = "bassin_session"  # auth/__init__.py's session factory
SHARED_SECONDS = 60
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
    def etag(key):
        return hashlib.sha256(repr(key).encode()).hexdigest()[:32]

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


def has_session(request_or_environ):
    cookies = (
        request_or_environ.cookies if hasattr(request_or_environ, "cookies") else Request(request_or_environ).cookies
    )
    return SESSION_COOKIE in cookies


def policy(logged_in, private, shared_seconds):
    """The Cache-Control of a page: see the module's docstring."""
    if logged_in:
        return "private, no-store"
    if private:
        return "private, no-cache"
    return f"public, max-age=0, s-maxage={shared_seconds}"


def shared_seconds(registry):
    return int(registry.settings.get("bassin.shared_cache_seconds", SHARED_SECONDS))


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
        """(request, whether it has a session) of a visitor the page cache
        serves: a GET or HEAD without a session, or with a session holding no
        user, no selection and no message to show; else None."""
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            return None
        request = Request(environ)
        request.registry = self.registry
        if not has_session(request):
            return request, False
        session = request.session
        if logged_in(request) or Selection(session).ids() or session.peek_flash() or session.peek_flash("success"):
            return None
        return request, True

    def __call__(self, environ, start_response):
        visitor = self._visitor(environ)
        if visitor is None:
            return self.app(environ, start_response)
        request, private = visitor
        cache = self.cache
        key = cache.key(request)
        if key is None:
            return self.app(environ, start_response)
        etag = cache.etag(key)
        entry = cache.get(key)
        if entry is not None:
            headers = [
                ("ETag", f'"{etag}"'),
                ("Cache-Control", policy(False, private, shared_seconds(self.registry))),
                ("Vary", "Cookie"),
                ("X-Page-Cache", "hit"),
            ]
            if etag in request.if_none_match:
                start_response("304 Not Modified", headers)
                return []
            node_id, content_type, body = entry
            if node_id is not None:
                cache.count(node_id, request.client_addr, request.user_agent)
            start_response("200 OK", headers + [("Content-Type", content_type), ("Content-Length", str(len(body)))])
            return [body] if environ["REQUEST_METHOD"] == "GET" else []
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            if status.startswith("200 ") and CACHEABLE in environ:
                headers = [(k, v) for k, v in headers if k.lower() != "etag"] + [("ETag", f'"{etag}"')]
            return start_response(status, headers, exc_info)

        body = self.app(environ, capture)
        names = {k.lower() for k, _v in captured.get("headers", ())}
        if not (
            captured.get("status", "").startswith("200 ")
            and CACHEABLE in environ
            and environ["REQUEST_METHOD"] == "GET"
            and "set-cookie" not in names  # the page made a session: it may hold it
        ):
            return body
        chunks = list(body)
        if hasattr(body, "close"):
            body.close()
        content_type = dict((k.lower(), v) for k, v in captured["headers"]).get("content-type", "text/html")
        cache.put(key, (environ[CACHEABLE], content_type, b"".join(chunks)))
        return chunks


def wrap(app, registry):
    """The application, behind the page cache when ``bassin.page_cache`` is on."""
    if not asbool(registry.settings.get("bassin.page_cache", "true")):
        return app
    return PageCacheMiddleware(app, registry)


@subscriber(NewResponse)
def cache_policy(event):
    """Decided last: NewResponse comes after the response callbacks, so the
    session's cookie, if any, is there to be seen."""
    request, response = event.request, event.response
    if request.path.startswith("/static/"):
        return
    user = logged_in(request)
    private = has_session(request) or "Set-Cookie" in response.headers
    if user or private:
        response.cache_control = policy(user, private, shared_seconds(request.registry))
    elif response.status_code >= 500:
        response.cache_control = "no-store"  # an error is not kept
    elif "Cache-Control" not in response.headers:  # the view's own (files, feeds: no-cache) stands
        response.cache_control = policy(False, False, shared_seconds(request.registry))
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            if response.etag is None and isinstance(response.app_iter, list):
                response.md5_etag()
            response.conditional_response = True
    if "Cookie" not in (response.vary or ()):
        response.vary = tuple(response.vary or ()) + ("Cookie",)
