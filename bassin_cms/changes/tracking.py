"""What a transaction changed, written to the outbox in that transaction.

Flush events note which nodes changed (a moved, restricted or renamed folder
brings its whole subtree; a file brings its resource; a vocabulary term the
resources that carry it). The rows are inserted at the end of each flush, on
the flush's own connection, and the site's version moves once, just before
the commit: the change and what must follow it are saved together or not at
all, so nothing can drift (DESIGN, "The database is the truth").
"""

import weakref

from sqlalchemy import event, insert, inspect, select, update
from sqlalchemy.orm import Session

from bassin_cms.content.models import Node, Term, resource_terms
from bassin_cms.files.models import PENDING as FILE_PENDING
from bassin_cms.files.models import ResourceFile

from .models import Change, SiteVersion, utcnow

PENDING = "changes_pending"  # node ids noted before a flush, not yet written
SITE = "changes_site"  # a change that concerns no node (a term)
WRITTEN = "changes_written"  # rows written since the last version move
ROWS = "changes_rows"  # (row id, node id) written in this transaction
term_edits = 0  # vocabulary flushes in this process (the thesaurus's key)
_listeners = weakref.WeakSet()  # objects with wake(), told after a commit that wrote rows


def on_commit(listener):
    """``listener.wake()`` is called after any commit in this process that
    wrote outbox rows (the worker thread, the site clock)."""
    _listeners.add(listener)


def _descendants(node):
    stack, out = list(node.children), []
    while stack:
        child = stack.pop()
        out.append(child.id)
        stack.extend(child.children)
    return out


def _before_flush(session, flush_context, instances):
    ids = session.info.setdefault(PENDING, set())
    for obj in session.deleted:
        if isinstance(obj, Node):
            ids.add(obj.id)
            ids.update(_descendants(obj))
        elif isinstance(obj, ResourceFile):
            ids.add(obj.node_id)
        elif isinstance(obj, Term):
            session.info[SITE] = True
    for obj in session.dirty:
        if isinstance(obj, Node):
            state = inspect(obj)
            if not session.is_modified(obj, include_collections=True):
                continue
            ids.add(obj.id)
            if any(state.attrs[k].history.has_changes() for k in ("parent_id", "restricted", "name")):
                ids.update(_descendants(obj))
        elif isinstance(obj, Term):
            session.info[SITE] = True
            ids.update(
                session.connection()
                .execute(select(resource_terms.c.resource_id).where(resource_terms.c.term_id == obj.id))
                .scalars()
            )
    for obj in session.new:
        if isinstance(obj, Term):
            session.info[SITE] = True


def _after_flush(session, flush_context):
    ids = session.info.pop(PENDING, set())
    file_work = set()
    for obj in session.new:
        if isinstance(obj, Node):
            ids.add(obj.id)
        elif isinstance(obj, ResourceFile):
            ids.add(obj.node_id)
            if obj.blob is not None and obj.blob.extraction == FILE_PENDING:
                file_work.add(obj.node_id)  # its text and images: the worker's job (files/jobs.py)
    ids.discard(None)
    site = session.info.pop(SITE, False)
    if site:
        global term_edits
        term_edits += 1
    _write_rows(session, ids, site, file_work)


def _write_rows(session, ids, site=False, file_work=()):
    if not ids and not site and not file_work:
        return
    now = utcnow()
    rows = [{"topic": "node", "node_id": i, "created_at": now, "attempts": 0, "error": ""} for i in sorted(ids)]
    if not rows:
        rows = [{"topic": "site", "node_id": None, "created_at": now, "attempts": 0, "error": ""}]
    rows += [{"topic": "files", "node_id": i, "created_at": now, "attempts": 0, "error": ""} for i in sorted(file_work)]
    written = session.connection().execute(insert(Change).returning(Change.id, Change.node_id, Change.topic), rows)
    session.info.setdefault(ROWS, []).extend((r.id, r.node_id) for r in written if r.topic == "node")
    session.info[WRITTEN] = True


def note_changed(session, node_ids):
    """Nodes changed by what the flush events do not see (the text of their
    files, read by the worker): reindexed and the site's version moved, as
    any other change, in this transaction."""
    _write_rows(session, {i for i in node_ids if i is not None})


def _before_commit(session):
    session.flush()
    rows = session.info.pop(ROWS, [])
    registry = _registry(session)
    if rows and registry is not None:
        # Handlers that write in the change's own transaction (a search backend
        # in the same database): what they did needs no worker.
        handlers = registry.get("in_transaction_handlers", {}).get("node", ())
        node_ids = {node_id for _row_id, node_id in rows if node_id is not None}
        if handlers and node_ids:
            for handler in handlers:
                handler(registry, session, node_ids)
            session.connection().execute(
                update(Change).where(Change.id.in_([r for r, n in rows if n is not None])).values(done_at=utcnow())
            )
    if session.info.pop(WRITTEN, False):
        move_version(session.connection())
        session.info["changes_committed"] = True


def _registry(session):
    request = session.info.get("request")
    return getattr(request, "registry", None) or session.info.get("registry")


def move_version(connection):
    """One more version, in the caller's transaction."""
    done = connection.execute(
        update(SiteVersion).where(SiteVersion.id == 1).values(version=SiteVersion.version + 1, changed_at=utcnow())
    )
    if not done.rowcount:
        connection.execute(insert(SiteVersion).values(id=1, version=1, changed_at=utcnow()))


def _after_commit(session):
    if session.info.pop("changes_committed", False):
        for listener in list(_listeners):
            listener.wake()


def _after_rollback(session):
    for key in (PENDING, SITE, WRITTEN, ROWS, "changes_committed"):
        session.info.pop(key, None)


def install():
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", lambda session, previous: _after_rollback(session))
