"""The Whoosh index on disk: open, write, search, rebuild.

Measured choices (../shared/SEARCH_NOTES.md): one searcher per process, refreshed
after writes (opening one per request costs up to 139 ms); segments written with
compound=False (a reader opens in 0.6 ms instead of 139 ms at 100k); bulk rebuilds
with procs=2, multisegment and limitmb=256, committed once; never optimize().
"""
import logging
import os
import shutil
import threading
import time

from whoosh import index as whoosh_index
from whoosh.index import LockError

from .schema import SCHEMA_VERSION, build_schema

log = logging.getLogger(__name__)
VERSION_FILE = "bassin_schema_version"


class IndexVersionError(RuntimeError):
    pass


class SearchIndex:
    def __init__(self, directory):
        self.directory = os.path.abspath(directory)
        self._ix = None
        self._generation = 0                # bumped when a rebuild replaces the directory
        self._local = threading.local()
        self._lock = threading.RLock()      # one writer per process
        self._searcher_lock = threading.Lock()

    # --- opening -------------------------------------------------------------
    def exists(self):
        return whoosh_index.exists_in(self.directory)

    def version(self):
        try:
            with open(os.path.join(self.directory, VERSION_FILE)) as fp:
                return int(fp.read().strip())
        except (OSError, ValueError):
            return None

    def open(self):
        if self._ix is None:
            if not self.exists():
                self.create()
            found = self.version()
            if found != SCHEMA_VERSION:
                raise IndexVersionError(
                    f"L'index de recherche ({self.directory}) a la version de schéma {found}, "
                    f"le code attend la version {SCHEMA_VERSION} : lancez `bassin-cms reindex`."
                )
            self._ix = whoosh_index.open_dir(self.directory)
        return self._ix

    def create(self, directory=None):
        directory = directory or self.directory
        os.makedirs(directory, exist_ok=True)
        ix = whoosh_index.create_in(directory, build_schema())
        with open(os.path.join(directory, VERSION_FILE), "w") as fp:
            fp.write(str(SCHEMA_VERSION))
        return ix

    def revision(self):
        """Changes with every write to the index, in any process: the
        generation of its table of contents, and the directory itself (a
        rebuild replaces it and starts the generations again). Every commit
        that changes a node writes the index (indexing.py), so this is also
        the site's version for the pages kept for visitors (portal/caching.py)."""
        return (os.stat(self.directory).st_ino, self.open().latest_generation())

    # --- searching ---------------------------------------------------------------
    def searcher(self):
        """This thread's searcher, refreshed if the index changed. One per
        thread: a Whoosh reader seeks and reads shared files, and two threads
        reading the same postings at once read each other's bytes (seen under
        load: struct errors and wrong results)."""
        local = self._local
        searcher = getattr(local, "searcher", None)
        if searcher is None or local.generation != self._generation:
            with self._searcher_lock:
                generation, ix = self._generation, self.open()
            local.searcher, local.generation = ix.searcher(), generation
        elif not searcher.up_to_date():
            local.searcher = searcher.refresh()
        return local.searcher

    # --- writing -------------------------------------------------------------------
    def update(self, documents_by_node, attempts=5):
        """Replace the documents of each node (an empty list deletes the node)."""
        if not documents_by_node:
            return
        ix = self.open()
        with self._lock:
            for attempt in range(attempts):
                try:
                    writer = ix.writer(timeout=10.0, compound=False)
                    break
                except LockError:
                    # Another process is writing: wait our turn rather than fail.
                    log.info("search index busy, attempt %s", attempt + 1)
                    time.sleep(0.5 * (attempt + 1))
            else:
                raise LockError("search index locked for too long")
            try:
                for node_id, documents in documents_by_node.items():
                    writer.delete_by_term("node", str(node_id))
                    for document in documents:
                        writer.add_document(**document)
                writer.commit(merge=True)
            except BaseException:
                writer.cancel()
                raise

    def rebuild(self, documents, progress=None):
        """Build a new index beside the old one, then swap them."""
        fresh = self.directory + ".new"
        shutil.rmtree(fresh, ignore_errors=True)
        ix = self.create(fresh)
        writer = ix.writer(procs=2, multisegment=True, limitmb=256, compound=False)
        count = 0
        try:
            for document in documents:
                writer.add_document(**document)
                count += 1
                if progress is not None:
                    progress(document)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        with self._lock, self._searcher_lock:
            old = self.directory + ".old"
            shutil.rmtree(old, ignore_errors=True)
            if os.path.exists(self.directory):
                os.rename(self.directory, old)
            os.rename(fresh, self.directory)
            shutil.rmtree(old, ignore_errors=True)
            self._ix = None
            self._generation += 1
        return count

    def stored_nodes(self):
        """{node id: stored fields of its resource document}."""
        searcher = self.searcher()
        return {
            fields["node_id"]: fields
            for fields in searcher.all_stored_fields()
            if fields.get("doctype") == "resource"
        }
