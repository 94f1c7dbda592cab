"""Keep the index in step with the database: written only after a commit.

Flush events note which nodes changed (a moved, restricted or deleted folder
brings its whole subtree); a hook on the transaction reindexes them once it has
committed, from a fresh session. A failure there is logged, never raised: the
change is saved, and `bassin-cms check` reports the drift `reindex` repairs.
"""
import logging

from sqlalchemy import event, inspect, select
from transaction.interfaces import NoTransaction
from sqlalchemy.orm import Session, selectinload

from bassin_cms.content.models import Node, Resource, Term, resource_terms
from bassin_cms.files.models import ResourceFile
from bassin_cms.files.services import FileService

from .documents import resource_documents
from .services import forget_thesaurus

log = logging.getLogger(__name__)
KEY = "search_dirty"


def _descendants(node):
    stack, out = list(node.children), []
    while stack:
        child = stack.pop()
        out.append(child.id)
        stack.extend(child.children)
    return out


def _note(session, ids):
    dirty = session.info.setdefault(KEY, set())
    dirty.update(i for i in ids if i is not None)
    request = session.info.get("request")
    if request is None or not dirty:
        return
    try:
        transaction = request.tm.get()
    except NoTransaction:
        return  # no transaction to follow: nothing will be committed either

    if session.info.get("search_hook") is not transaction:
        session.info["search_hook"] = transaction
        registry = request.registry
        transaction.addAfterCommitHook(_after_commit, args=(registry, session.info))


def _before_flush(session, flush_context, instances):
    if any(isinstance(obj, Term) for obj in (*session.new, *session.dirty, *session.deleted)):
        forget_thesaurus()  # the vocabularies are the thesaurus
    ids = set()
    for obj in session.deleted:
        if isinstance(obj, Node):
            ids.add(obj.id)
            ids.update(_descendants(obj))
        elif isinstance(obj, ResourceFile):
            ids.add(obj.node_id)
    for obj in session.dirty:
        if isinstance(obj, Node):
            ids.add(obj.id)
            state = inspect(obj)
            if any(state.attrs[k].history.has_changes() for k in ("parent_id", "restricted", "name")):
                ids.update(_descendants(obj))
        elif isinstance(obj, Term):
            ids.update(session.connection().execute(
                select(resource_terms.c.resource_id).where(resource_terms.c.term_id == obj.id)).scalars())
    if ids:
        _note(session, ids)


def _after_flush(session, flush_context):
    ids = set()
    for obj in session.new:
        if isinstance(obj, Node):
            ids.add(obj.id)
        elif isinstance(obj, ResourceFile):
            ids.add(obj.node_id)
    if ids:
        _note(session, ids)


def _after_commit(committed, registry, info):
    ids = info.pop(KEY, set())
    info.pop("search_hook", None)
    if not committed or not ids:
        return
    try:
        Indexer(registry).index_nodes(ids)
    except Exception:  # the data is saved; `bassin-cms check` reports the drift
        log.exception("search index not updated for nodes %s", sorted(ids)[:20])


def install():
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)


class Indexer:
    def __init__(self, registry):
        self.registry = registry
        self.index = registry["search_index"]

    def _load(self, session, ids):
        return list(session.scalars(
            select(Resource).where(Resource.id.in_(ids))
            .options(selectinload(Resource.terms), selectinload(Resource.agents), selectinload(Resource.kind))
        ))

    def documents(self, session, resources):
        files, pages = FileService(session, self.registry["blob_storage"]).files_and_pages([r.id for r in resources])
        return {r.id: resource_documents(r, files.get(r.id, []), lambda sha: pages.get(sha, [])) for r in resources}

    def index_nodes(self, ids):
        session = self.registry["dbsession_factory"]()
        try:
            found = self.documents(session, self._load(session, list(ids)))
            # Nodes gone or not resources (folders) are removed from the index.
            self.index.update({node_id: found.get(node_id, []) for node_id in ids})
        finally:
            session.close()

    def all_documents(self, session, batch=500, progress=None):
        last = 0
        while True:
            ids = list(session.scalars(
                select(Resource.id).where(Resource.id > last).order_by(Resource.id).limit(batch)))
            if not ids:
                return
            resources = self._load(session, ids)
            for resource_id, documents in self.documents(session, resources).items():
                yield from documents
                if progress is not None:
                    progress(1)
            last = ids[-1]
            session.expunge_all()

    def rebuild(self, progress=None):
        session = self.registry["dbsession_factory"]()
        try:
            return self.index.rebuild(self.all_documents(session, progress=progress))
        finally:
            session.close()

    def check(self):
        """Drift between the database and the index: missing, stale, orphaned."""
        session = self.registry["dbsession_factory"]()
        try:
            rows = dict(session.execute(select(Resource.id, Resource.version)).all())
            stored = self.index.stored_nodes()
            missing = sorted(set(rows) - set(stored))
            orphaned = sorted(set(stored) - set(rows))
            stale = sorted(i for i in set(rows) & set(stored)
                           if (stored[i].get("meta") or {}).get("version") != rows[i])
            return {"missing": missing, "stale": stale, "orphaned": orphaned, "database": len(rows), "index": len(stored)}
        finally:
            session.close()
