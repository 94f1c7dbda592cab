"""The Whoosh index on disk: open, write, search, rebuild.

Measured choices (../shared/SEARCH_NOTES.md): one searcher per process, refreshed
after writes (opening one per request costs up to 139 ms); segments written with
compound=False (a reader opens in 0.6 ms instead of 139 ms at 100k); bulk rebuilds
with procs=2, multisegment and limitmb=256, committed once; never optimize().
"""

import logging
import os
import shutil
import struct
import threading
import time
import zlib

from whoosh import index as whoosh_index
from whoosh.filedb.filetables import FileFormatError
from whoosh.index import LockError
from whoosh.reading import ReaderClosed

from .schema import SCHEMA_VERSION, build_schema

log = logging.getLogger(__name__)
VERSION_FILE = "bassin_schema_version"
LOCK_TIMEOUT = 5.0


class IndexVersionError(RuntimeError):
    pass


class IndexUnavailable(RuntimeError):
    """The index cannot be read (missing, corrupt, another process's merge
    under a reader that could not be reopened): pages answer without search,
    and search says it is being repaired."""


# What a reader whose files changed under it raises (seen: TypeError from a
# lazily read stored file after another process's merge, then ReaderClosed;
# struct and zlib errors and EOF on truncated files).
READ_ERRORS = (
    OSError,
    EOFError,
    TypeError,
    ValueError,
    KeyError,
    IndexError,
    AttributeError,
    struct.error,
    zlib.error,
    FileFormatError,
    ReaderClosed,
    whoosh_index.IndexError,
)


class SearchIndex:
    def __init__(self, directory):
        self.directory = os.path.abspath(directory)
        self._ix = None
        self._generation = 0  # bumped when a rebuild replaces the directory
        self._local = threading.local()
        self._lock = threading.RLock()  # one writer per process
        self._searcher_lock = threading.Lock()

    # --- opening -------------------------------------------------------------
    def exists(self):
        """Is there an index here? From the directory's listing: Whoosh's
        exists_in() opens the latest table of contents, which another
        process's commit may delete in between (a FileNotFoundError that
        escaped read()'s retries, 1 search in 8,269 under the soak test)."""
        try:
            names = os.listdir(self.directory)
        except OSError:
            return False
        return any(name.startswith("_MAIN_") and name.endswith(".toc") for name in names)

    def version(self):
        try:
            with open(os.path.join(self.directory, VERSION_FILE)) as fp:
                return int(fp.read().strip())
        except (OSError, ValueError):
            return None

    def outdated(self):
        return self.exists() and self.version() != SCHEMA_VERSION

    def ensure(self):
        """Create an empty index if there is none (initdb); True if it did."""
        if self.exists():
            return False
        self.create()
        return True

    def open(self):
        """The index, never created here: a missing index is reported (search
        unavailable, `check`), not silently replaced by an empty one."""
        if self._ix is None:
            if not self.exists():
                raise IndexUnavailable(
                    f"L'index de recherche est absent ({self.directory}) : lancez `bassin-cms reindex`."
                )
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

    # --- searching ---------------------------------------------------------------
    def searcher(self):
        """This thread's searcher, refreshed if the index changed. One per
        thread: a Whoosh reader seeks and reads shared files, and two threads
        reading the same postings at once read each other's bytes (seen under
        load: struct errors and wrong results)."""
        local = self._local
        searcher = getattr(local, "searcher", None)
        try:
            stamp = self._stamp()
            if searcher is not None and stamp is not None and stamp[0] != local.inode:
                # Another process's rebuild put a new directory in its place:
                # another index, whose generations may repeat the old one's.
                self.drop_searcher()
                searcher = None
            if searcher is None or local.generation != self._generation:
                with self._searcher_lock:
                    generation, ix = self._generation, self.open()
                local.searcher, local.generation = ix.searcher(), generation
                local.inode, local.seen = stamp and stamp[0], self._settled(stamp)
            elif local.seen is None or local.seen != stamp:
                if not searcher.up_to_date():
                    local.searcher = searcher.refresh()
                local.seen = self._settled(stamp)
        except IndexUnavailable:
            self.drop_searcher()
            raise
        except Exception as exc:  # noqa: BLE001 - opening runs no code of ours: any failure is the files'
            self.drop_searcher()
            raise IndexUnavailable(f"L'index de recherche ne peut pas être lu : {type(exc).__name__}: {exc}") from exc
        return local.searcher

    SETTLED_NS = 2 * 10**9

    def _stamp(self):
        """(inode, modification time) of the index directory, None if it is
        missing: a commit adds a table of contents to it, a rebuild puts a new
        directory in its place."""
        try:
            found = os.stat(self.directory)
        except OSError:
            return None
        return (found.st_ino, found.st_mtime_ns)

    def _settled(self, stamp):
        """``stamp`` if it may stand for the directory's listing: once it is
        older than the filesystem's clock tick, any later commit gives another
        one. Whoosh's up_to_date() lists the directory instead (5 % of a
        search's time under load, measured). None while it is younger: a
        commit in the same tick as the last look is not missed."""
        if stamp is None or time.time_ns() - stamp[1] < self.SETTLED_NS:
            return None
        return stamp

    def drop_searcher(self):
        """Forget this thread's searcher (and the process's index object), so
        that the next call opens the index again from its table of contents
        rather than refreshing a reader whose files may be gone."""
        searcher = getattr(self._local, "searcher", None)
        self._local.searcher = None
        if searcher is not None:
            try:
                searcher.close()
            except Exception:  # noqa: BLE001 - already broken
                pass
        with self._searcher_lock:
            self._ix = None
            self._generation += 1

    def read(self, operation, attempts=4):
        """``operation(searcher)``, again on a freshly opened searcher if it
        fails (another process's merge or commit can remove a file between
        the table of contents and a lazy read: a race that the next try
        wins); IndexUnavailable once ``attempts`` tries have failed."""
        for attempt in range(1, attempts + 1):
            try:
                return operation(self.searcher())
            except IndexUnavailable:
                if attempt == attempts or not self.exists():
                    raise
            except READ_ERRORS as exc:
                log.warning("search index read failed (%s: %s), reopening", type(exc).__name__, exc)
                self.drop_searcher()
                if attempt == attempts:
                    raise IndexUnavailable(
                        f"L'index de recherche ne peut pas être lu : {type(exc).__name__}: {exc}"
                    ) from exc
            time.sleep(0.02 * attempt)

    # --- writing -------------------------------------------------------------------
    def update(self, documents_by_node, lock_timeout=None):
        """Replace the documents of each node (an empty list deletes the node).
        Waits ``lock_timeout`` seconds at most for another process's writer:
        only the worker calls this, and the outbox retries it later."""
        if not documents_by_node:
            return
        ix = self.open()
        lock_timeout = LOCK_TIMEOUT if lock_timeout is None else lock_timeout
        with self._lock:
            try:
                writer = ix.writer(timeout=lock_timeout, compound=False)
            except LockError:
                raise LockError(
                    f"index de recherche verrouillé par un autre processus depuis plus de {lock_timeout:g} s"
                ) from None
            try:
                for node_id, documents in documents_by_node.items():
                    writer.delete_by_term("node", str(node_id))
                    for document in documents:
                        writer.add_document(**document)
                writer.commit(mergetype=merge_dropping_empty)
            except BaseException:
                writer.cancel()
                raise

    def rebuild(self, documents, progress=None, before_swap=None, after_swap=None):
        """Build a new index beside the old one, then swap them.

        ``before_swap(fresh)`` may write to the new index (a SearchIndex) what
        was committed while it was built, ``after_swap()`` what was committed
        since; an interrupted build stops its helper processes and leaves the
        old index in place."""
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
            _stop_helpers(writer)
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        if before_swap is not None:
            before_swap(SearchIndex(fresh))
        with self._lock, self._searcher_lock:
            old = self.directory + ".old"
            shutil.rmtree(old, ignore_errors=True)
            if os.path.exists(self.directory):
                os.rename(self.directory, old)
            os.rename(fresh, self.directory)
            shutil.rmtree(old, ignore_errors=True)
            self._ix = None
            self._generation += 1
        if after_swap is not None:
            after_swap()
        return count

    def stored_nodes(self):
        """{node id: stored fields of its resource document}."""
        return self.read(
            lambda searcher: {
                fields["node_id"]: fields
                for fields in searcher.all_stored_fields()
                if fields.get("doctype") == "resource"
            }
        )

    def verify(self):
        """None if every segment of the index can be read through, else the
        problem in one line (`check`): opens the index, reads every stored
        document and every term's postings of the resource documents."""
        if not self.exists():
            return f"index absent ({self.directory})"
        try:
            ix = whoosh_index.open_dir(self.directory)
            with ix.searcher() as searcher:
                for _fields in searcher.all_stored_fields():
                    pass
                reader = searcher.reader()
                for fieldname in ("node", "doctype", "kind"):
                    for text in reader.lexicon(fieldname):
                        reader.postings(fieldname, text).all_ids()
        except Exception as exc:  # noqa: BLE001 - reported, never raised
            return f"index illisible ({self.directory}) : {type(exc).__name__}: {exc}"
        found = self.version()
        if found != SCHEMA_VERSION:
            return f"index de version {found}, le code attend la version {SCHEMA_VERSION}"
        return None


def merge_dropping_empty(writer, segments):
    """Whoosh's MERGE_SMALL, without the segments whose documents are all
    deleted: merging one gives a segment with no postings, which Whoosh
    writes but cannot read back ("Unknown file header b''" on the next
    writer; seen when the last documents of the index were deleted). Such a
    segment holds nothing to keep, so it is dropped."""
    from whoosh.writing import MERGE_SMALL

    return MERGE_SMALL(writer, [segment for segment in segments if segment.doc_count() > 0])


def _stop_helpers(writer):
    """Cancel a writer and end the processes of a multi-process one (an
    interrupted `reindex` otherwise leaves them running)."""
    try:
        writer.cancel()
    except Exception:  # noqa: BLE001 - stopping anyway
        pass
    for task in getattr(writer, "tasks", ()) or ():
        if task.is_alive():
            task.terminate()
        task.join(2)
