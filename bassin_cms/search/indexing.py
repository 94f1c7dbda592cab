"""Keep the index in step with the database, following the change outbox.

The outbox (bassin_cms/changes) holds, committed with each change, the nodes
it touched; the worker calls ``index_changes`` with their ids, outside any
visitor's request. A failure there stays on the outbox rows, is retried and is
shown by `bassin-cms check`.
"""

import datetime as dt
import logging

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from bassin_cms.changes.tracking import move_version
from bassin_cms.content.models import Resource
from bassin_cms.files.services import FileService

from .documents import resource_documents

log = logging.getLogger(__name__)
REPLAY_MARGIN = dt.timedelta(seconds=60)


def index_changes(registry, node_ids):
    """The outbox handler of the topic "node"."""
    if node_ids:
        Indexer(registry).index_nodes(node_ids)
        # The change moved the site's version at its commit, before this index
        # write: move it again, so that a search page the page cache kept in
        # between (conditional=True) is not replayed.
        with registry["dbengine"].begin() as connection:
            move_version(connection)
        registry["site_clock"].wake()


def index_in_transaction(registry, session, node_ids):
    """For a transactional backend: the nodes' documents written in the
    change's own transaction, from the session's state just before commit."""
    indexer = Indexer(registry)
    found = indexer.documents(session, indexer._load(session, list(node_ids)))
    indexer.index.update({node_id: found.get(node_id, []) for node_id in node_ids}, session=session)


class Indexer:
    def __init__(self, registry, index=None):
        self.registry = registry
        self.index = index or registry["search_backend"]

    def _load(self, session, ids):
        return list(
            session.scalars(
                select(Resource)
                .where(Resource.id.in_(ids))
                .options(selectinload(Resource.terms), selectinload(Resource.agents), selectinload(Resource.kind))
            )
        )

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
            ids = list(
                session.scalars(select(Resource.id).where(Resource.id > last).order_by(Resource.id).limit(batch))
            )
            if not ids:
                return
            resources = self._load(session, ids)
            for documents in self.documents(session, resources).values():
                yield from documents
                if progress is not None:
                    progress(1)
            last = ids[-1]
            session.expunge_all()

    def rebuild(self, progress=None):
        """A new index from the database, then what was committed while it was
        built (the outbox rows since the start, with a minute's margin for
        transactions that took their row number earlier and committed later),
        written to the new index before the swap and to the live one after."""
        from bassin_cms.changes.models import Change, utcnow

        started = utcnow() - REPLAY_MARGIN
        session = self.registry["dbsession_factory"]()

        def since(moment):
            with self.registry["dbsession_factory"]() as replay:
                return set(
                    replay.scalars(
                        select(Change.node_id).where(Change.created_at >= moment, Change.node_id.is_not(None))
                    )
                )

        marks = {}

        def before_swap(fresh):
            marks["swap"] = utcnow() - REPLAY_MARGIN
            Indexer(self.registry, fresh).index_nodes(since(started))

        def after_swap():
            self.index_nodes(since(marks["swap"]))

        try:
            count = self.index.rebuild(
                self.all_documents(session, progress=progress), before_swap=before_swap, after_swap=after_swap
            )
        finally:
            session.close()
        # What was pending before the build is in the new index.
        with self.registry["dbsession_factory"]() as done:
            done.execute(
                update(Change)
                .where(Change.done_at.is_(None), Change.topic == "node", Change.created_at < started)
                .values(done_at=utcnow(), error="")
            )
            done.commit()
        return count

    def check(self):
        """Drift between the database and the index: missing, stale, orphaned."""
        session = self.registry["dbsession_factory"]()
        try:
            rows = dict(session.execute(select(Resource.id, Resource.version)).all())
            stored = self.index.stored_nodes()
            missing = sorted(set(rows) - set(stored))
            orphaned = sorted(set(stored) - set(rows))
            stale = sorted(
                i for i in set(rows) & set(stored) if (stored[i].get("meta") or {}).get("version") != rows[i]
            )
            return {
                "missing": missing,
                "stale": stale,
                "orphaned": orphaned,
                "database": len(rows),
                "index": len(stored),
            }
        finally:
            session.close()
