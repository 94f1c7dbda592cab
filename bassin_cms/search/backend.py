"""What every search backend does, behind one interface (in the spirit of
Wagtail's search backends).

The shared parts are written once, outside the backends: the query builder
(analysis, synonyms, weights: query.build_query, whose clauses, each a tree
of And / Or / AndMaybe / Term over analysed tokens, are the query every
backend receives), the ranking of partial matches (ranking.rank:
coordination, minimum-should-match, what each result lacks), the documents a
resource produces (documents.py), the permission tokens (schema.py), the
highlighting of snippets and the result shape (services.py). A backend
matches each clause on the notice for who may see it and on the full text
for who may read it, filters by facets, counts, sorts, finds the pages that
hold the words, and proposes spellings.

- ``WhooshBackend`` (whoosh_backend.py): the embedded default, files under
  ``var/index``, written by the outbox worker after the commit.
- ``PostgresBackend`` (postgres_backend.py): tables in the site's PostgreSQL
  database, written in the transaction of the change (``transactional``).
"""

from dataclasses import dataclass, field

PAGE_SIZE = 10
SORTS = ("relevance", "date", "title", "downloads")
CAPABILITIES = frozenset({"facets", "snippets", "suggestions", "phrases"})


@dataclass
class Plan:
    """One search, as the service hands it to a backend."""

    query: object = None  # a query.ParsedQuery, or None (no words: everything allowed)
    principals: tuple = ()
    now: object = None  # an aware datetime
    filters: dict = field(default_factory=dict)  # facet -> code
    year_from: int | None = None
    year_to: int | None = None
    sort: str = "relevance"
    start: int = 0
    stop: int = PAGE_SIZE
    count_only: bool = False
    downloads: dict | None = None  # {node id: downloads}, for sort="downloads"
    # With no words, what is listed: "notice", what the person may open (its
    # page), or "full", what they may read in full.
    reach: str = "notice"


@dataclass
class Found:
    total: int = 0
    facets: dict = field(default_factory=dict)
    hits: list = field(default_factory=list)  # [({"node_id": id}, score)] of the page asked
    missing: dict = field(default_factory=dict)  # {node id: [indexes of the clauses it lacks]}, page asked
    clause_totals: list = field(default_factory=list)  # resources holding each clause
    complete: int = 0  # resources holding every clause


class SearchBackend:
    name = ""
    capabilities = CAPABILITIES
    # True: documents are written in the transaction of the change itself.
    transactional = False

    def ensure(self):
        """Create what the backend needs if missing (initdb); True if it did."""
        raise NotImplementedError

    def exists(self):
        raise NotImplementedError

    def outdated(self):
        """True when what exists was written for another schema version (an
        upgrade changed the documents): initdb rebuilds it."""
        raise NotImplementedError

    def verify(self):
        """None when the backend can be read through, else the problem in one line."""
        raise NotImplementedError

    def update(self, documents_by_node, session=None):
        """Replace the documents of each node (an empty list removes it)."""
        raise NotImplementedError

    def rebuild(self, documents, progress=None, before_swap=None, after_swap=None):
        """Replace everything atomically; returns the number of documents."""
        raise NotImplementedError

    def stored_nodes(self):
        """{node id: stored fields of its resource document} (`check`)."""
        raise NotImplementedError

    def find(self, plan):
        """A Found for ``plan``."""
        raise NotImplementedError

    def snippet_pages(self, node_ids, words, best=None, numbers=()):
        """[(node id, score, fields with page_text, page, file_id, meta)] of the
        pages (and parts) of these nodes that hold any of ``words`` (stems).
        With ``best``, a backend may leave out a node's pages below its
        ``best`` highest scores (ties kept), but never one holding every
        token of one of ``numbers`` (words typed with a digit: a part's
        number, "74a")."""
        raise NotImplementedError

    def known_words(self, words):
        """Those of ``words`` (folded, unstemmed) that a public notice holds."""
        return set()

    def corrections(self, words):
        """{word: the nearest word of the public notices, as it is usually
        spelt (accents)} for each of ``words`` (folded, unstemmed) that no
        public notice holds and that has a near one."""
        return {}

    def drop_searcher(self):
        """Forget what this process keeps open (after a failure)."""
