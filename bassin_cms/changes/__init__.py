"""The change outbox: every change writes, in its own transaction, what must
follow it (reindexing, later file work) and moves the site's version; a worker
applies the rows (a thread of the web process, or `bassin-cms worker`)."""

import os

from .clock import SiteClock
from .tracking import install
from .worker import OutboxWorker

WORKER_MODES = ("thread", "external", "off")


def add_change_handler(config, topic, handler):
    """``handler(registry, node_ids)`` applies the outbox rows of ``topic``."""
    config.registry.setdefault("change_handlers", {}).setdefault(topic, []).append(handler)


def add_in_transaction_handler(config, topic, handler):
    """``handler(registry, session, node_ids)`` applies ``topic``'s changes in
    the change's own transaction, just before its commit; its outbox rows are
    then done at once (the worker still applies rows written by sessions that
    do not know the application, e.g. scripts)."""
    config.registry.setdefault("in_transaction_handlers", {}).setdefault(topic, []).append(handler)


def start_worker(registry):
    """The worker thread of the embedded default, once the app is made; not
    in the `bassin-cms` commands, which set BASSIN_WORKER_THREAD=off and
    apply the outbox after each of their commits."""
    mode = registry.settings.get("bassin.worker", "thread")
    if mode == "thread" and os.environ.get("BASSIN_WORKER_THREAD") != "off":
        registry["outbox_worker"].start()


def includeme(config):
    settings = config.get_settings()
    mode = settings.get("bassin.worker", "thread")
    if mode not in WORKER_MODES:
        raise ValueError(f"bassin.worker = {mode!r}: expected one of {', '.join(WORKER_MODES)}")
    install()
    registry = config.registry
    config.add_directive("add_change_handler", add_change_handler)
    config.add_directive("add_in_transaction_handler", add_in_transaction_handler)
    registry["site_clock"] = SiteClock(registry["dbengine"], float(settings.get("bassin.page_cache_version_ttl", 1)))
    registry["outbox_worker"] = OutboxWorker(registry, float(settings.get("bassin.worker_poll_seconds", 2)))
