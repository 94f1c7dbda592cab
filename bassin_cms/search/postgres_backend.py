"""The production search backend: PostgreSQL full text, in the site's own
database, written in the transaction of each change (nothing to drift, no
``var/index``, one index for every application server).

How the documents are stored (decisions in docs/search-backends.md):

- The analysis is the shared one (analysis.py: elisions, accents folded before
  the French Snowball stemmer, digits apart from letters, digit groups joined,
  hyphenated names split), run in Python at index and query time as for
  Whoosh, so both backends see the same tokens and pass one contract suite.
  Each token is stored as a lexeme prefixed by its field's letter (FIELDS),
  with as many positions as occurrences (its frequency, for ts_rank).
- Two GIN-indexed tsvectors a resource: ``head``, its notice (title, summary,
  body, term names, people: small, mostly kept in the row), which whoever may
  open its page may search; ``body``, its full text (files' pages, parts),
  for who may read it in full. A page or a part's document holds its text in
  ``body`` (snippets).
- A query is its clauses (query.py); each clause's reaches (notice, people,
  full text) are one tsquery each, matched and scored (idf × weighted ts_rank
  of each of its lexemes) in one statement over the resources that match any
  of them; coordination, the minimum that should match and the order are
  ranking.py's, shared with Whoosh. ts_rank has no inverse document
  frequency: the frequencies are counted by ts_stat at each rebuild into
  ``search_lexemes`` (again when the number of documents moved by a tenth),
  cached per process for ``IDF_TTL`` seconds.
- The permission filter is the shared tokens (schema.py) as text arrays with
  the array overlap operator (``notice`` for the notice, ``public`` for the
  full text); dates as epoch seconds; facets as text arrays, counted in SQL.
- "Did you mean": the words of public notices in ``search_words`` with a
  trigram index (pg_trgm), candidates sharing the first letter, ranked by
  edit distance then frequency; their usual spelling ("folded=spelt"
  entries of the same table).
- The ``bassin_french`` text search configuration (French stemmer after
  unaccent, without the hyphenated-word mappings) is created for SQL users
  of the tables, e.g. ad hoc reports with to_tsvector; the application
  itself queries the analysed lexemes.
"""

import json
import logging
import threading
import time
from collections import Counter, OrderedDict

import numpy as np
from sqlalchemy import text

from .analysis import correction_distance, edit_distance, exact_analyzer, french_analyzer, pairs_analyzer, tokens
from .backend import Found, SearchBackend
from .ranking import Matches, page_order, rank, sort_keys, union
from .resource_table import FACETS

log = logging.getLogger(__name__)

SCHEMA_VERSION = "5"  # 5: notice and full text apart, notice tokens, spellings
IDF_TTL = 600
RESCORE = 200  # candidates scored in full (notice and text), the others by their notice
MAX_POSITIONS = 255  # a tsvector keeps at most 256 positions a lexeme
MAX_LEXEMES_BYTES = 900_000  # under tsvector's 1 MB
LIST_FACETS = ("theme", "territory", "audience", "level", "subject")

_FR, _EXACT, _PAIRS = french_analyzer(), exact_analyzer(), pairs_analyzer()
# field -> (prefix, analyzer, column). Field weights are applied at query
# time (query.Weights, as Term boosts), as for Whoosh.
FIELDS = {
    "title": ("t", _FR, "head"),
    "title_exact": ("e", _EXACT, "head"),
    "title_pairs": ("q", _PAIRS, "head"),
    "text": ("x", _FR, "head"),
    "pairs": ("p", _PAIRS, "head"),
    "people": ("o", _FR, "head"),
    "full": ("f", _FR, "body"),
    "full_pairs": ("r", _PAIRS, "body"),
    "page_text": ("g", _FR, "body"),
}
COLUMN_OF_PREFIX = {prefix: column for prefix, _analyzer, column in FIELDS.values()}
DDL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """DO $$ BEGIN
         IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'bassin_french') THEN
           CREATE TEXT SEARCH CONFIGURATION bassin_french (COPY = french);
           ALTER TEXT SEARCH CONFIGURATION bassin_french
             ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
           ALTER TEXT SEARCH CONFIGURATION bassin_french DROP MAPPING FOR hword, asciihword;
         END IF;
       END $$""",
    """CREATE TABLE IF NOT EXISTS search_documents (
         id text PRIMARY KEY,
         node_id integer NOT NULL,
         doctype text NOT NULL,
         head tsvector NOT NULL DEFAULT ''::tsvector,
         body tsvector NOT NULL DEFAULT ''::tsvector,
         allowed text[] NOT NULL DEFAULT '{}',
         public text[] NOT NULL DEFAULT '{}',
         notice text[] NOT NULL DEFAULT '{}',
         effective bigint NOT NULL DEFAULT 0,
         expires bigint NOT NULL DEFAULT 4611686018427387904,
         kind text NOT NULL DEFAULT '',
         theme text[] NOT NULL DEFAULT '{}',
         territory text[] NOT NULL DEFAULT '{}',
         audience text[] NOT NULL DEFAULT '{}',
         level text[] NOT NULL DEFAULT '{}',
         subject text[] NOT NULL DEFAULT '{}',
         year integer NOT NULL DEFAULT 0,
         sort_date bigint NOT NULL DEFAULT 0,
         sort_title text NOT NULL DEFAULT '',
         spell text[] NOT NULL DEFAULT '{}',
         page integer,
         file_id integer,
         page_text text,
         meta jsonb NOT NULL DEFAULT '{}'
       )""",
    """CREATE TABLE IF NOT EXISTS search_words (
         word text PRIMARY KEY,
         documents integer NOT NULL
       )""",
    "CREATE INDEX IF NOT EXISTS ix_search_words_trgm ON search_words USING gin (word gin_trgm_ops)",
    "CREATE TABLE IF NOT EXISTS search_meta (key text PRIMARY KEY, value text NOT NULL)",
    "CREATE TABLE IF NOT EXISTS search_lexemes (lexeme text PRIMARY KEY, documents integer NOT NULL)",
    # Which resources each generation touched: a process's facet table reads
    # those again, not every row (FacetTable.patched).
    "CREATE TABLE IF NOT EXISTS search_changes (generation bigint NOT NULL, node_id integer NOT NULL)",
    "CREATE INDEX IF NOT EXISTS ix_search_changes_generation ON search_changes (generation)",
]
# What a facet table holds of each resource document (FacetTable's rows).
FACET_TABLE_COLUMNS = ", ".join(
    f"d.{column}"
    for column in ("node_id", "kind", "year", *LIST_FACETS, "allowed", "public", "notice", "effective", "expires")
)
# A process reads at once the sets of the words held by at least a
# hundredth of the resources, and this many (FacetTable.warm).
WARM_FLOOR = 50
# The changes kept: a process whose table is older reads it whole.
KEPT_GENERATIONS = 10_000
COLUMNS = (
    "id",
    "node_id",
    "doctype",
    "head",
    "body",
    "allowed",
    "public",
    "notice",
    "effective",
    "expires",
    "kind",
    *LIST_FACETS,
    "year",
    "sort_date",
    "sort_title",
    "spell",
    "page",
    "file_id",
    "page_text",
    "meta",
)


def _lexeme_literal(lexeme):
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def vector(counts):
    """A tsvector literal: each lexeme with one position per occurrence (its
    frequency, which ts_rank reads)."""
    parts, size = [], 0
    for lexeme, count in sorted(counts.items()):
        part = f"{_lexeme_literal(lexeme)}:" + ",".join(str(i) for i in range(1, min(count, MAX_POSITIONS) + 1))
        size += len(part) + 1
        if size > MAX_LEXEMES_BYTES:
            break
        parts.append(part)
    return " ".join(parts)


def analysed(document):
    """{column: Counter of its prefixed lexemes} of a document."""
    columns = {"head": Counter(), "body": Counter()}
    for name, (prefix, analyzer, column) in FIELDS.items():
        value = document.get(name)
        if value:
            columns[column].update(prefix + token for token in tokens(analyzer, value))
    return columns


def _split(value):
    return [v for v in (value or "").split(",") if v]


def row_of(document):
    columns = analysed(document)
    meta = document.get("meta") or {}
    spelt = _split(document.get("spelling"))
    return {
        "id": document["id"],
        "node_id": document["node_id"],
        "doctype": document.get("doctype", "resource"),
        "head": vector(columns["head"]),
        "body": vector(columns["body"]),
        "allowed": _split(document.get("allowed")),
        "public": _split(document.get("public")),
        "notice": _split(document.get("notice")),
        "effective": int(document.get("effective") or 0),
        "expires": int(document.get("expires") or 2**62),
        "kind": document.get("kind") or "",
        **{name: _split(document.get(name)) for name in LIST_FACETS},
        "year": int(document.get("year") or 0),
        "sort_date": int(document.get("sort_date") or 0),
        "sort_title": document.get("sort_title") or "",
        # The public words, and how they are spelt ("folded=spelt").
        "spell": sorted(set(tokens(_EXACT, document.get("spell") or ""))) + sorted(spelt),
        "page": document.get("page"),
        "file_id": document.get("file_id"),
        "page_text": document.get("page_text"),
        "meta": json.dumps(meta),
    }


def insert(table="search_documents"):
    return text(
        f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ("
        + ", ".join(
            f"CAST(:{c} AS tsvector)" if c in ("head", "body") else f"CAST(:{c} AS jsonb)" if c == "meta" else f":{c}"
            for c in COLUMNS
        )
        + ")"
    )


# The indexes of search_documents, by name (a rebuild makes them on the new
# table under a temporary name, then renames them at the swap).
# The rows a query visits should be narrow: a broad word matches most
# resources, and each match is one heap tuple read for its node id and
# permission columns. The vectors and word lists leave the row (TOAST, not
# compressed: ts_rank reads them whole for the best 200 only), the small
# columns stay in it; a resource row is then a few hundred bytes instead of
# several kilobytes (docs/search-backends.md). Applies to rows written after
# it: `bassin-cms reindex` rewrites the others.
STORAGE_DDL = (
    "ALTER TABLE {table} ALTER COLUMN head SET STORAGE EXTERNAL, ALTER COLUMN body SET STORAGE EXTERNAL, "
    "ALTER COLUMN spell SET STORAGE EXTERNAL, ALTER COLUMN page_text SET STORAGE EXTERNAL, "
    + ", ".join(
        f"ALTER COLUMN {column} SET STORAGE MAIN"
        for column in ("allowed", "public", "notice", "kind", *LIST_FACETS, "sort_title", "meta")
    )
    + ", SET (toast_tuple_target = 1024)"
)
INDEX_DDL = {
    "ix_search_documents_node_id": "ON {table} (node_id)",
    # Partial: a query asks for resource documents only, and the planner then
    # finds one index for both conditions.
    "ix_search_documents_head": "ON {table} USING gin (head) WHERE doctype = 'resource'",
    "ix_search_documents_body": "ON {table} USING gin (body) WHERE doctype = 'resource'",
}


class Translation:
    """Shared query trees as tsqueries (which documents match: a GIN index
    answers them) and as the lexemes that score, with their boosts."""

    def __init__(self):
        self.params = {}

    def param(self, value):
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def tsquery(self, node):
        """The tsquery text of a tree, or None when it cannot match."""
        from whoosh.query import And, AndMaybe, Or, Term

        if node is None:
            return None
        if isinstance(node, Term):
            if node.fieldname not in FIELDS:
                return None
            return _lexeme_literal(FIELDS[node.fieldname][0] + node.text)
        if isinstance(node, (And, Or)):
            parts = [self.tsquery(q) for q in node.subqueries]
            if isinstance(node, And) and None in parts:
                return None
            parts = [p for p in parts if p is not None]
            if not parts:
                return None
            return "(" + (" & " if isinstance(node, And) else " | ").join(parts) + ")"
        if isinstance(node, AndMaybe):
            return self.tsquery(node.a)  # the optional part scores, it is not required
        raise TypeError(f"query node not handled: {type(node).__name__}")

    @staticmethod
    def scored(node, boost=1.0):
        """{lexeme: boost} of every term of a tree (boosts multiplied down)."""
        from whoosh.query import And, AndMaybe, Or, Term

        out = {}
        if node is None:
            return out
        boost *= node.boost
        if isinstance(node, Term):
            if node.fieldname in FIELDS:
                out[FIELDS[node.fieldname][0] + node.text] = boost
            return out
        children = (
            [node.a, node.b] if isinstance(node, AndMaybe) else node.subqueries if isinstance(node, (And, Or)) else []
        )
        for child in children:
            for lexeme, value in Translation.scored(child, boost).items():
                out[lexeme] = max(out.get(lexeme, 0.0), value)
        return out


class PostgresBackend(SearchBackend):
    name = "postgresql"
    transactional = True

    def __init__(self, engine, facet_table=True, warm_words=True):
        self.engine = engine
        self.use_facet_table = facet_table
        self.warm_words = warm_words
        self._idf = {}
        self._idf_lock = threading.Lock()
        self._facets_table = None  # (generation, FacetTable)
        self._facets_lock = threading.Lock()
        self._reader = None  # the thread reading a table whole

    # --- the tables ----------------------------------------------------------
    def ensure(self):
        with self.engine.begin() as connection:
            existed = connection.scalar(text("SELECT to_regclass('search_documents') IS NOT NULL"))
            for statement in DDL:
                connection.execute(text(statement))
            connection.execute(text(STORAGE_DDL.format(table="search_documents")))
            for name, ddl in INDEX_DDL.items():
                connection.execute(text(f"CREATE INDEX IF NOT EXISTS {name} " + ddl.format(table="search_documents")))
            connection.execute(
                text("INSERT INTO search_meta (key, value) VALUES ('schema', :v) ON CONFLICT (key) DO NOTHING"),
                {"v": SCHEMA_VERSION},
            )
            connection.execute(
                text("INSERT INTO search_meta (key, value) VALUES ('generation', '0') ON CONFLICT (key) DO NOTHING")
            )
        return not existed

    def exists(self):
        with self.engine.connect() as connection:
            return bool(connection.scalar(text("SELECT to_regclass('search_documents') IS NOT NULL")))

    def outdated(self):
        if not self.exists():
            return False
        with self.engine.connect() as connection:
            return connection.scalar(text("SELECT value FROM search_meta WHERE key = 'schema'")) != SCHEMA_VERSION

    def verify(self):
        try:
            with self.engine.connect() as connection:
                if not connection.scalar(text("SELECT to_regclass('search_documents') IS NOT NULL")):
                    return "tables de recherche absentes (bassin-cms initdb les crée)"
                found = connection.scalar(text("SELECT value FROM search_meta WHERE key = 'schema'"))
                if found != SCHEMA_VERSION:
                    return f"tables de recherche de version {found}, le code attend la version {SCHEMA_VERSION}"
                if not connection.scalar(text("SELECT to_regclass('search_changes') IS NOT NULL")):
                    return "journal des changements de la recherche absent (bassin-cms initdb le crée)"
                connection.execute(text("SELECT count(*) FROM search_documents WHERE head @@ 'xbassin'::tsquery"))
        except Exception as exc:  # noqa: BLE001 - reported in one line
            return f"tables de recherche illisibles : {type(exc).__name__}: {exc}"
        return None

    # --- writing -------------------------------------------------------------
    def update(self, documents_by_node, session=None, lock_timeout=None):
        """In ``session``'s transaction when given (the change's own), else in one of its own."""
        if not documents_by_node:
            return
        if session is not None:
            self._write(session.connection(), documents_by_node)
        else:
            with self.engine.begin() as connection:
                self._write(connection, documents_by_node)

    def _write(self, connection, documents_by_node, table="search_documents"):
        ids = list(documents_by_node)
        old_words = (
            connection.execute(text(f"DELETE FROM {table} WHERE node_id = ANY(:ids) RETURNING spell"), {"ids": ids})
            .scalars()
            .all()
        )
        rows = [row_of(d) for documents in documents_by_node.values() for d in documents]
        if rows:
            connection.execute(insert(table), rows)
        self._count_words(connection, [w for words in old_words for w in words], [w for r in rows for w in r["spell"]])
        generation = _move_generation(connection)
        if generation is not None:
            connection.execute(
                text("INSERT INTO search_changes (generation, node_id) SELECT :g, unnest(CAST(:ids AS integer[]))"),
                {"g": generation, "ids": ids},
            )
            connection.execute(
                text("DELETE FROM search_changes WHERE generation <= :g"), {"g": generation - KEPT_GENERATIONS}
            )

    @staticmethod
    def _count_words(connection, removed, added):
        """Keep ``search_words`` (public words, with how many documents hold them)."""
        delta = Counter(added)
        delta.subtract(Counter(removed))
        changes = [{"w": w, "n": n} for w, n in sorted(delta.items()) if n]
        if not changes:
            return
        connection.execute(
            text(
                "INSERT INTO search_words (word, documents) SELECT w, n FROM json_to_recordset(CAST(:rows AS json)) "
                "AS r(w text, n integer) ON CONFLICT (word) DO UPDATE SET documents = search_words.documents + "
                "EXCLUDED.documents"
            ),
            {"rows": json.dumps(changes)},
        )
        connection.execute(text("DELETE FROM search_words WHERE documents <= 0"))

    def rebuild(self, documents, progress=None, before_swap=None, after_swap=None, batch=500):
        """Atomic: a new table is filled beside the live one (in batches, each
        committed: nobody reads it), indexed, given what was committed
        meanwhile (``before_swap``), then put in the live one's place in one
        short transaction. Readers and writers use the old table until then."""
        fresh = "search_documents_new"
        with self.engine.begin() as connection:
            connection.execute(text(f"DROP TABLE IF EXISTS {fresh}"))
            connection.execute(text(f"CREATE TABLE {fresh} (LIKE search_documents INCLUDING DEFAULTS)"))
            connection.execute(text(STORAGE_DDL.format(table=fresh)))
            connection.execute(text(f"ALTER TABLE {fresh} ADD CONSTRAINT pk_{fresh} PRIMARY KEY (id)"))
        count, rows = 0, []
        try:
            for document in documents:
                rows.append(row_of(document))
                count += 1
                if progress is not None:
                    progress(document)
                if len(rows) >= batch:
                    with self.engine.begin() as connection:
                        connection.execute(insert(fresh), _resources_first(rows))
                    rows = []
            with self.engine.begin() as connection:
                if rows:
                    connection.execute(insert(fresh), _resources_first(rows))
                for name, ddl in INDEX_DDL.items():
                    connection.execute(text(f"CREATE INDEX {name}_new " + ddl.format(table=fresh)))
        except BaseException:
            with self.engine.begin() as connection:
                connection.execute(text(f"DROP TABLE IF EXISTS {fresh}"))
            raise
        with self.engine.begin() as connection:
            if before_swap is not None:
                before_swap(_InTransaction(self, connection, fresh))
            connection.execute(text("LOCK TABLE search_documents IN ACCESS EXCLUSIVE MODE"))
            connection.execute(text("DROP TABLE search_documents"))
            connection.execute(text(f"ALTER TABLE {fresh} RENAME TO search_documents"))
            connection.execute(
                text(f"ALTER TABLE search_documents RENAME CONSTRAINT pk_{fresh} TO pk_search_documents")
            )
            for name in INDEX_DDL:
                connection.execute(text(f"ALTER INDEX {name}_new RENAME TO {name}"))
            # The public words, counted again from the new documents.
            connection.execute(text("DELETE FROM search_words"))
            connection.execute(
                text(
                    "INSERT INTO search_words (word, documents) SELECT word, count(*) FROM search_documents, "
                    "unnest(spell) AS word GROUP BY word"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO search_meta (key, value) VALUES ('schema', :v) ON CONFLICT (key) DO UPDATE "
                    "SET value = EXCLUDED.value"
                ),
                {"v": SCHEMA_VERSION},
            )
            self.count_lexemes(connection)
            # Every table read before is read whole again (the changes are the old table's).
            rebuilt = _move_generation(connection)
            connection.execute(text("DELETE FROM search_changes"))
            connection.execute(
                text(
                    "INSERT INTO search_meta (key, value) VALUES ('rebuilt', CAST(:g AS text)) "
                    "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
                ),
                {"g": rebuilt or 0},
            )
            connection.execute(text("ANALYZE search_documents"))
        with self._idf_lock:
            self._idf.clear()
        if after_swap is not None:
            after_swap()
        return count

    def stored_nodes(self):
        with self.engine.connect() as connection:
            return {
                node_id: {"node_id": node_id, "meta": meta}
                for node_id, meta in connection.execute(
                    text("SELECT node_id, meta FROM search_documents WHERE doctype = 'resource'")
                )
            }

    # --- reading -------------------------------------------------------------
    def idfs(self, connection, lexemes):
        """{lexeme: Whoosh's idf, log(N / (df + 1)) + 1} over the resource
        documents. The document frequencies are counted for every lexeme at
        each rebuild (``search_lexemes``, one pass of ts_stat) and kept by
        this process for IDF_TTL seconds; between rebuilds they drift by the
        few documents changed since, which a weight does not notice. A word
        the table does not know yet counts as in one document."""
        from math import log

        now = time.monotonic()
        with self._idf_lock:
            if now - self._idf.get("", (0, 0))[0] >= IDF_TTL:
                self._idf.clear()
            known = {x: self._idf[x][1] for x in lexemes if x in self._idf}
            total = self._idf.get("", (0, None))[1]
        missing = [x for x in lexemes if x not in known]
        if missing or total is None:
            if total is None:
                total = connection.scalar(text("SELECT count(*) FROM search_documents WHERE doctype = 'resource'"))
                self._recount_if_moved(total)
            found = dict(
                connection.execute(
                    text("SELECT lexeme, documents FROM search_lexemes WHERE lexeme = ANY(:l)"), {"l": missing}
                ).all()
            )
            with self._idf_lock:
                self._idf.setdefault("", (now, total))
                for lexeme in missing:
                    value = log(max(total, 1) / (found.get(lexeme, 1) + 1)) + 1
                    self._idf[lexeme] = (now, value)
                    known[lexeme] = value
        return known

    def _recount_if_moved(self, total):
        """Count the lexemes again (own transaction) when the resource
        documents are a tenth more or fewer than when they were last counted
        (a site filled without a rebuild, by its changes' transactions)."""
        with self.engine.begin() as connection:
            counted = connection.scalar(text("SELECT value FROM search_meta WHERE key = 'lexemes_counted'"))
            if counted is not None and abs(total - int(counted)) <= max(10, int(counted) // 10):
                return
            self.count_lexemes(connection)

    @staticmethod
    def count_lexemes(connection, table="search_documents"):
        """The document frequency of every lexeme of the resource documents."""
        connection.execute(
            text(
                "INSERT INTO search_meta (key, value) SELECT 'lexemes_counted', CAST(count(*) AS text) FROM "
                f"{table} WHERE doctype = 'resource' ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
            )
        )
        connection.execute(text("DELETE FROM search_lexemes"))
        connection.execute(
            text(
                "INSERT INTO search_lexemes (lexeme, documents) SELECT word, ndoc FROM "
                f"ts_stat('SELECT head || body FROM {table} WHERE doctype = ''resource''')"
            )
        )

    def _permission(self, plan, translation, reach):
        """Who may find a resource: its staff, or while it is open who may see
        its notice (``reach`` "notice") or read its full text ("full")."""
        ts = int(plan.now.timestamp())
        principals = translation.param(list(plan.principals))
        column = "notice" if reach == "notice" else "public"
        return (
            f"(allowed && CAST({principals} AS text[]) OR ({column} && CAST({principals} AS text[]) "
            f"AND effective <= {translation.param(ts)} AND expires > {translation.param(ts)}))"
        )

    def _where(self, plan, translation, reach="notice"):
        clauses = ["doctype = 'resource'", self._permission(plan, translation, reach)]
        for name in FACETS:
            value = plan.filters.get(name)
            if value and name == "kind":
                clauses.append(f"kind = {translation.param(value)}")
            elif value:
                clauses.append(f"{name} @> ARRAY[CAST({translation.param(value)} AS text)]")
        if plan.year_from:
            clauses.append(f"year >= {translation.param(plan.year_from)}")
        if plan.year_to:
            clauses.append(f"year <= {translation.param(plan.year_to)}")
        return clauses

    FACET_ROWS = " UNION ALL ".join(
        [
            "SELECT 'kind' AS facet, kind AS value FROM m WHERE kind <> ''",
            "SELECT 'year', CAST(year AS text) FROM m WHERE year <> 0",
        ]
        + [f"SELECT '{name}', unnest({name}) FROM m" for name in LIST_FACETS]
    )

    def _count(self, connection, where, params):
        """(total, facets) of the resources ``where`` selects."""
        total, facet_counts = connection.execute(
            text(
                f"WITH m AS MATERIALIZED (SELECT kind, year, {', '.join(LIST_FACETS)} FROM search_documents "
                f"WHERE {where}), f AS (SELECT facet, value, count(*) AS n FROM ({self.FACET_ROWS}) AS x "
                "GROUP BY facet, value) SELECT (SELECT count(*) FROM m), "
                "(SELECT coalesce(json_agg(json_build_array(facet, value, n)), '[]') FROM f)"
            ),
            params,
        ).one()
        return total, self._facets(facet_counts)

    def find(self, plan):
        if plan.query is not None:
            return self._find_words(plan)
        translation = Translation()
        where = " AND ".join(self._where(plan, translation, plan.reach))
        with self.engine.connect() as connection:
            total, facets = self._count(connection, where, translation.params)
            found = Found(total=total, facets=facets)
            if plan.count_only or not total or plan.start >= total:
                return found
            if plan.sort == "downloads":  # by downloads then date
                rows = connection.execute(
                    text(f"SELECT node_id, meta FROM search_documents WHERE {where} ORDER BY sort_date DESC, node_id"),
                    translation.params,
                ).all()
                downloads = plan.downloads or {}
                rows.sort(key=lambda r: (-downloads.get(r[0], 0),))
                rows = rows[plan.start : plan.stop]
            else:
                order = "sort_title, node_id" if plan.sort == "title" else "sort_date DESC, node_id"
                rows = connection.execute(
                    text(
                        f"SELECT node_id, meta FROM search_documents WHERE {where} ORDER BY {order} "
                        f"LIMIT {int(plan.stop - plan.start)} OFFSET {int(plan.start)}"
                    ),
                    translation.params,
                ).all()
            found.hits = [({"node_id": n, "meta": meta}, None) for n, meta in rows]
            return found

    def _reaches(self, parts, weights):
        """(query tree, column, strength for coordination) of Parts: its notice
        and people in ``head``, its full text in ``body``."""
        return (
            (parts.notice, "head", 1.0),
            (parts.people, "head", weights.people_hold),
            (parts.full, "body", weights.full_hold),
        )

    def _find_words(self, plan):
        """In stages, so that no statement reads the vectors of every match:

        1. for each reach of each clause (notice, people, full text, and the
           title, which only orders the first pass), the set of the resources
           that hold it, from its GIN index alone (the bitmap is exact for plain
           lexemes: no vector is read), the permission and filters checked on
           the way; one statement, one row: the candidates and the reaches
           each holds (bits);
        2. ranking.rank keeps and orders them by coordination (exact), then by
           a first score: the idf-weighted reaches each holds;
        3. the facets of what is kept are counted in SQL; the RESCORE best (and
           the page asked) are scored in full (each lexeme's idf × boost ×
           ts_rank, notice and text read once each) and ordered again.
        """
        query, weights = plan.query, plan.query.weights
        translation = Translation()
        notice_where = " AND ".join(self._where(plan, translation, "notice"))
        full_ok = self._permission(plan, translation, "full")
        every = []  # (clause index, pair of clauses, or None: title; tree, column, strength)
        for index, clause in enumerate(query.clauses):
            every += [(index, *reach) for reach in self._reaches(clause.parts, weights)]
            every.append((None, _title_part(clause.parts.notice), "head", 0.0))
        for parts in query.proximity:
            every += [(parts.between, *reach) for reach in self._reaches(parts, weights)]
        reaches, ctes, sets = [], [], {}  # sets: (column, tsquery) -> its CTE's number
        trees = {}  # (column, tsquery) -> its tree (the facet table composes it from its words)
        for index, tree, column, strength in every:
            matching = translation.tsquery(tree)
            if matching is None:
                continue
            if (column, matching) not in sets:  # a word typed twice is looked up once
                sets[(column, matching)] = len(ctes)
                trees[(column, matching)] = tree
                readable = f" AND {full_ok}" if column == "body" else ""
                ctes.append(
                    f"r{len(ctes)} AS MATERIALIZED (SELECT node_id FROM search_documents WHERE {notice_where}"
                    f"{readable} AND {column} @@ CAST({translation.param(matching)} AS tsquery))"
                )
            reaches.append((index, strength, tree, sets[(column, matching)]))
        if not reaches:
            return Found(facets=self._facets([]), clause_totals=[0] * len(query.clauses))
        # Each set's members, as arrays: which sets a candidate is in (bits, 62
        # to a bigint) is worked out here, not by the database row by row.
        statement = f"WITH {', '.join(ctes)} SELECT " + ", ".join(
            f"(SELECT array_agg(node_id) FROM r{j})" for j in range(len(ctes))
        )
        with self.engine.connect() as connection:
            # The planner prices @@ as cheap and may filter every resource row
            # instead of asking the GIN indexes; its estimates would also start
            # a JIT compilation costing more than the statement (30 ms, measured).
            # Both in one round trip (about 0.5 ms each on these machines).
            connection.execute(text("SELECT set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)"))
            table = self.facet_table(connection)
            if table is not None:
                members = table.members(connection, plan, [(column, trees[(column, m)]) for column, m in sets])
            else:
                members = [
                    np.asarray(found or [], dtype=np.int64)
                    for found in connection.execute(text(statement), translation.params).one()
                ]
            ids = np.unique(np.concatenate(members)) if members else np.zeros(0, dtype=np.int64)
            if not len(ids):
                return Found(facets=self._facets([]), clause_totals=[0] * len(query.clauses))
            held = []
            for start in range(0, len(members), 62):
                word = np.zeros(len(ids), dtype=np.int64)
                for j in range(start, min(start + 62, len(members))):
                    word[np.searchsorted(ids, members[j])] |= 1 << (j - start)
                held.append(word)
            idf = self.idfs(connection, list({x for _i, _s, tree, _j in reaches for x in Translation.scored(tree)}))
            ranked = self._rank(query, ids, held, reaches, idf)
            if not len(ranked):
                return Found(facets=self._facets([]), clause_totals=ranked.clause_totals)
            kept = {"kept": ranked.ids.tolist()}
            if table is not None:
                total, facets = table.count(ranked.ids)
            else:
                total, facets = self._count(connection, "doctype = 'resource' AND node_id = ANY(:kept)", kept)
            found = Found(total=total, facets=facets, clause_totals=ranked.clause_totals, complete=ranked.complete)
            if plan.count_only:
                return found
            if plan.sort in ("date", "title"):
                dates, titles = connection.execute(
                    text(
                        "SELECT array_agg(sort_date ORDER BY node_id), array_agg(sort_title ORDER BY node_id) "
                        "FROM search_documents WHERE doctype = 'resource' AND node_id = ANY(:kept)"
                    ),
                    kept,
                ).one()
            else:
                dates = titles = None
            if plan.sort == "relevance":
                self._rescore(connection, plan, ranked, reaches, idf, full_ok, translation.params)
            keys = sort_keys(
                plan.sort,
                ranked.scores,
                date=lambda: np.asarray(dates),
                title=lambda: _ranks(titles),
                node_ids=lambda: ranked.ids,
                downloads=plan.downloads,
            )
            order = page_order(keys, ranked.ids, plan.start, plan.stop, ranked.coordination)
            shown = [int(ranked.ids[i]) for i in order]
            metas = dict(
                connection.execute(
                    text("SELECT node_id, meta FROM search_documents WHERE doctype = 'resource' AND node_id = ANY(:s)"),
                    {"s": shown},
                ).all()
            )
        lacking = ranked.missing(shown)
        with_scores = plan.sort in ("relevance", "downloads")
        for i, node_id in zip(order.tolist(), shown, strict=False):
            score = float(ranked.scores[i]) if with_scores else None
            found.hits.append(({"node_id": node_id, "meta": metas.get(node_id) or {}}, score))
            if node_id in lacking:
                found.missing[node_id] = lacking[node_id]
        return found

    def _rescore(self, connection, plan, ranked, reaches, idf, full_ok, params):
        """The exact scores of the RESCORE best by coordination and first score
        (and of the page asked, if deeper): their notice and text read once
        each; the others keep their order by first score, below them."""
        keep = max(RESCORE, int(plan.stop))
        if len(ranked) > keep:
            order = page_order((-ranked.scores, np.zeros(len(ranked))), ranked.ids, 0, keep, ranked.coordination)
        else:
            order = np.arange(len(ranked))
        lexemes = {}
        for index, _strength, tree, _set in reaches:
            if index is not None:  # the title reach only orders the first pass
                for lexeme, boost in Translation.scored(tree).items():
                    lexemes[lexeme] = max(lexemes.get(lexeme, 0.0), boost)
        local = Translation()
        local.params.update(params)
        terms = []
        for lexeme, boost in lexemes.items():
            column = COLUMN_OF_PREFIX.get(lexeme[0], "head")
            value = local.param(_lexeme_literal(lexeme))
            term = (
                f"{boost * idf[lexeme]:.6f} * ts_rank('{{1,1,1,1}}', {column}, CAST({value} AS tsquery), "
                f"{1 if column == 'body' else 0})"
            )
            terms.append(term if column == "head" else f"CASE WHEN readable THEN {term} ELSE 0 END")
        local.params["candidates"] = [int(ranked.ids[i]) for i in order]
        exact = dict(
            connection.execute(
                text(
                    f"SELECT node_id, {' + '.join(terms) or '0'} FROM (SELECT node_id, head || '' AS head, "
                    f"body || '' AS body, {full_ok} AS readable FROM search_documents WHERE doctype = 'resource' "
                    "AND node_id = ANY(:candidates) OFFSET 0) AS c"
                ),
                local.params,
            ).all()
        )
        scores = np.asarray([exact.get(int(ranked.ids[i]), 0.0) for i in order.tolist()])
        rescored = np.zeros(len(ranked), dtype=bool)
        rescored[order] = True
        others = ranked.scores[~rescored]
        if len(others):
            lowest = scores.min() if len(scores) else 0.0
            ranked.scores[~rescored] = lowest * 0.99 * others / (others.max() + 1e-9)
        ranked.scores[order] = scores

    @staticmethod
    def _rank(query, ids, held, reaches, idf):
        """ranking.rank over the candidates (node ids, sorted) and the sets each
        is in (bits, 62 to a word of ``held``); a reach names its set and its
        index: a clause's, the pair of clauses a proximity bonus joins, or None
        for a title. Each match scores its reach's best idf × boost: the first
        score."""
        per_clause = [[] for _clause in query.clauses]
        bonuses, titles = {}, []
        for index, strength, tree, j in reaches:
            mask = (held[j // 62] >> (j % 62)) & 1 == 1
            weight = max((boost * idf.get(x, 1.0) for x, boost in Translation.scored(tree).items()), default=0.0)
            matches = Matches(ids[mask], np.full(int(mask.sum()), weight))
            if index is None:
                titles.append(matches)
            elif isinstance(index, tuple):
                bonuses.setdefault(index, []).append(matches)
            else:
                per_clause[index].append((matches, strength))
        proximity = [(union(found), between) for between, found in bonuses.items()]
        ranked = rank(per_clause, [c.required for c in query.clauses], proximity, query.weights.near_hold)
        title = union(titles)
        if len(title) and len(ranked):
            common, in_ranked, in_title = np.intersect1d(ranked.ids, title.ids, return_indices=True)
            ranked.scores[in_ranked] += title.scores[in_title]
        return ranked

    def facet_table(self, connection, wait=False):
        """Every resource document's facet values as arrays (FacetTable),
        brought up to date when the index's generation has moved (any write
        or rebuild, in any process): patched with the resources changed
        since, in this query. A table read whole (a process's first query,
        after a rebuild or a long absence: seconds at 100,000 resources) is
        read by a thread of its own, and the queries count in SQL meanwhile
        (None), unless ``wait``. None also where the tables predate the
        counter or ``bassin.search_facet_table = false``."""
        if not self.use_facet_table:
            return None
        generation = connection.scalar(text("SELECT value FROM search_meta WHERE key = 'generation'"))
        if generation is None:
            return None
        cached = self._facets_table
        if cached is not None and cached[0] == generation:
            return cached[1]
        with self._facets_lock:
            cached = self._facets_table
            if cached is not None and cached[0] == generation:
                return cached[1]
            patched = self._patched(connection, *cached) if cached is not None else None
            if patched is not None:
                self._facets_table = patched
                return patched[1]
            self._facets_table = None  # not to be patched: read whole
            reader = self._reader
            if reader is None or not reader.is_alive():
                reader = self._reader = threading.Thread(
                    target=self._read_whole, name="bassin-facet-table", daemon=True
                )
                reader.start()
        if not wait:
            return None
        reader.join()
        return self.facet_table(connection)

    def _read_whole(self):
        """Read the table whole, and the broad words' sets (``warm``), then
        give it to the queries. A failure leaves them counting in SQL; the
        next query tries again."""
        try:
            with self.engine.connect() as connection:
                # The counter and the rows in one statement: one snapshot (a
                # row with the counter alone when there is no resource yet).
                rows = connection.execute(
                    text(
                        f"SELECT meta.value, {FACET_TABLE_COLUMNS} FROM search_meta meta "
                        "LEFT JOIN search_documents d ON d.doctype = 'resource' "
                        "WHERE meta.key = 'generation' ORDER BY d.node_id"
                    )
                ).all()
                read = rows[0][0] if rows else None
                rows = [row for row in rows if row[1] is not None]
                table = FacetTable([row[1:] for row in rows])
                if self.warm_words:
                    table.warm(connection, max(WARM_FLOOR, len(rows) // 100), FacetTable.WARM_SET_ROWS)
        except Exception:  # noqa: BLE001 - the queries go on in SQL
            log.exception("facet table not read")
            return
        if read is not None:
            with self._facets_lock:
                self._facets_table = (read, table)

    def _patched(self, connection, since, table):
        """(generation, table) from ``table`` read at generation ``since``:
        the resources changed since read again, with their words (for the
        word sets it keeps), in one statement (one snapshot). None when it
        cannot be (a rebuild since, changes no longer kept, or so many that
        reading the whole table costs less)."""
        rows = connection.execute(
            text(
                "WITH meta AS (SELECT CAST(max(value) FILTER (WHERE key = 'generation') AS bigint) AS generation, "
                "CAST(coalesce(max(value) FILTER (WHERE key = 'rebuilt'), '0') AS bigint) AS rebuilt "
                "FROM search_meta), "
                "changed AS (SELECT DISTINCT node_id FROM search_changes WHERE generation > :since) "
                f"SELECT meta.generation, meta.rebuilt, changed.node_id, {FACET_TABLE_COLUMNS}, "
                "tsvector_to_array(d.head), tsvector_to_array(d.body) FROM meta LEFT JOIN changed ON true "
                "LEFT JOIN search_documents d ON d.node_id = changed.node_id AND d.doctype = 'resource' "
                "ORDER BY d.node_id"
            ),
            {"since": int(since)},
        ).all()
        generation, rebuilt = rows[0][0], rows[0][1]
        changed = {row[2] for row in rows if row[2] is not None}
        if (
            generation is None
            or rebuilt > int(since)
            or int(since) < generation - KEPT_GENERATIONS
            or len(changed) > max(100, len(table.node_ids) // 20)
        ):
            return None
        found = [row for row in rows if row[3] is not None]
        return str(generation), table.patched(
            changed, [row[3:-2] for row in found], [{"head": row[-2], "body": row[-1]} for row in found]
        )

    @staticmethod
    def _facets(rows):
        out = {name: {} for name in (*FACETS, "year")}
        for facet, value, count in rows:
            out[facet][int(value) if facet == "year" else value] = count
        return out

    def snippet_pages(self, node_ids, words, best=None, numbers=()):
        # All of them: the rows come from one statement, texts included.
        if not node_ids or not words:
            return []
        translation = Translation()
        from whoosh.query import Or, Term

        query = translation.param(translation.tsquery(Or([Term("page_text", w) for w in words])))
        translation.params["nodes"] = list(node_ids)
        with self.engine.connect() as connection:
            rows = connection.execute(
                text(
                    f"SELECT node_id, ts_rank(body, CAST({query} AS tsquery)) AS score, page, file_id, page_text, meta "
                    f"FROM search_documents WHERE doctype = 'page' AND node_id = ANY(:nodes) "
                    f"AND body @@ CAST({query} AS tsquery)"
                ),
                translation.params,
            ).all()
        return [
            (
                node_id,
                float(score),
                {"node_id": node_id, "page": page, "file_id": file_id, "page_text": page_text, "meta": meta},
            )
            for node_id, score, page, file_id, page_text, meta in rows
        ]

    def known_words(self, words):
        if not words:
            return set()
        with self.engine.connect() as connection:
            return set(
                connection.scalars(text("SELECT word FROM search_words WHERE word = ANY(:w)"), {"w": sorted(words)})
            )

    def corrections(self, words):
        """Candidates by trigram similarity among the public words sharing the
        first letter, ranked by edit distance, then by how many documents hold
        them; shown as most often spelt."""
        out = {}
        with self.engine.begin() as connection:
            connection.execute(text("SET LOCAL pg_trgm.similarity_threshold = 0.2"))
            for word in words:
                if connection.scalar(text("SELECT 1 FROM search_words WHERE word = :w"), {"w": word}):
                    continue
                maxdist = correction_distance(word)
                candidates = [
                    (edit_distance(word, candidate), -documents, candidate)
                    for candidate, documents in connection.execute(
                        text(
                            "SELECT word, documents FROM search_words WHERE word % :w AND left(word, 1) = left(:w, 1) "
                            "AND position('=' in word) = 0 ORDER BY similarity(word, :w) DESC LIMIT 50"
                        ),
                        {"w": word},
                    )
                    if candidate != word
                ]
                candidates = [c for c in candidates if c[0] <= maxdist]
                if not candidates:
                    continue
                best = min(candidates)[2]
                spelt = connection.scalar(
                    text(
                        "SELECT word FROM search_words WHERE left(word, :n) = :p ORDER BY documents DESC, word LIMIT 1"
                    ),
                    {"n": len(best) + 1, "p": f"{best}="},
                )
                out[word] = spelt.split("=", 1)[1] if spelt else best
        return out


def _move_generation(connection):
    """Every write moves the index's generation (returned): the processes'
    facet tables are brought up to date at their next query. Writers wait
    for each other on this row until commit, so generations commit in order."""
    return connection.scalar(
        text(
            "UPDATE search_meta SET value = CAST(CAST(value AS bigint) + 1 AS text) WHERE key = 'generation' "
            "RETURNING CAST(value AS bigint)"
        )
    )


class FacetTable:
    """What a query needs of every resource document besides its words, as
    arrays by node id (sorted), for one generation of the index: its facet
    values, its visibility columns, and the sets of documents each word
    (tsquery) matches, asked once. A broad query's facets are then counted
    over what it keeps with a few array operations instead of reading each
    kept row again (40 to 100 ms at 10,000 resources, measured), and a word
    already asked costs no statement: the rows a broad word matches were
    read one by one (15-35 ms a word at 10,000). The sets are kept by
    lexeme and column, a query's composed from them, so queries share them,
    and the broad words' are read at once when the table is (``warm``).

    A change makes a new table from the old one (``patched``): only the
    resources it touched are read again, with their lexemes, so neither the
    facets nor the words are read whole after an edit (3.4 s a process at
    100,000 resources, measured)."""

    NAMES = ("kind", "year", *LIST_FACETS)
    GRANTS = ("allowed", "public", "notice")
    # The word sets kept, at most (row numbers, 4 bytes each: 96 MiB), of
    # which two thirds may be the broad words read with the table (``warm``):
    # at 100,000 resources, the words of 5,000 resources or more.
    MAX_SET_ROWS = 24_000_000
    WARM_SET_ROWS = 16_000_000

    def __init__(self, rows):
        self.node_ids = np.asarray([row[0] for row in rows], dtype=np.int64)
        self.codes = {name: {} for name in self.NAMES}  # value -> code
        self.tokens = {}  # permission token -> code
        self.entries, self.grants, self.year, self.effective, self.expires = self._encode(rows)
        self.values = {name: list(codes) for name, codes in self.codes.items()}  # code -> value
        self._sets = OrderedDict()  # (column, lexeme) -> rows, sorted; last asked last
        self._kept_rows = 0
        self._lock = threading.Lock()

    def _encode(self, rows):
        """Rows' facet values and permission tokens as (row, code) pairs, with
        this table's codes (new values get new codes), and their dates."""
        entries, grants = {}, {}
        for position, name in enumerate(self.NAMES, start=1):
            codes, indexes, found = self.codes[name], [], []
            for index, row in enumerate(rows):
                value = row[position]
                items = value if isinstance(value, list) else ([value] if value not in ("", 0, None) else [])
                for item in items:
                    indexes.append(index)
                    found.append(codes.setdefault(item, len(codes)))
            entries[name] = (np.asarray(indexes, dtype=np.int64), np.asarray(found, dtype=np.int64))
        first = 1 + len(self.NAMES)
        for offset, name in enumerate(self.GRANTS):
            indexes, found = [], []
            for index, row in enumerate(rows):
                for token in row[first + offset] or ():
                    indexes.append(index)
                    found.append(self.tokens.setdefault(token, len(self.tokens)))
            grants[name] = (np.asarray(indexes, dtype=np.int64), np.asarray(found, dtype=np.int64))
        year = np.asarray([row[2] or 0 for row in rows], dtype=np.int64)
        effective = np.asarray([row[first + 3] for row in rows], dtype=np.int64)
        expires = np.asarray([row[first + 4] for row in rows], dtype=np.int64)
        return entries, grants, year, effective, expires

    # --- a change: the resources it touched read again ------------------------
    def kept_words(self):
        """The (column, lexeme) sets this table keeps."""
        with self._lock:
            return list(self._sets)

    def patched(self, changed, rows, vectors):
        """A new table: this one with the resources ``changed`` (node ids)
        read again. ``rows`` are those still resource documents, sorted by
        node id, ``vectors[i]`` row i's lexemes by column ({"head": [...],
        "body": [...]}): the word sets kept are carried over. This table is
        left as it was (other threads may be reading it)."""
        new = FacetTable.__new__(FacetTable)
        new.codes = {name: dict(codes) for name, codes in self.codes.items()}
        new.tokens = dict(self.tokens)
        entries, grants, year, effective, expires = new._encode(rows)
        kept = ~np.isin(self.node_ids, np.asarray(sorted(changed), dtype=np.int64))
        merged = np.concatenate([self.node_ids[kept], np.asarray([row[0] for row in rows], dtype=np.int64)])
        order = np.argsort(merged, kind="stable")
        place = np.empty(len(merged), dtype=np.int64)
        place[order] = np.arange(len(merged))
        held = int(kept.sum())
        old_place = np.full(len(self.node_ids), -1, dtype=np.int64)
        old_place[kept] = place[:held]
        new_place = place[held:]

        def merge(old, added):
            indexes, codes = old
            moved = old_place[indexes]
            live = moved >= 0
            return (
                np.concatenate([moved[live], new_place[added[0]]]),
                np.concatenate([codes[live], added[1]]),
            )

        new.values = {name: list(codes) for name, codes in new.codes.items()}
        new.node_ids = merged[order]
        new.entries = {name: merge(self.entries[name], entries[name]) for name in self.NAMES}
        new.grants = {name: merge(self.grants[name], grants[name]) for name in self.GRANTS}
        new.year = np.concatenate([self.year[kept], year])[order]
        new.effective = np.concatenate([self.effective[kept], effective])[order]
        new.expires = np.concatenate([self.expires[kept], expires])[order]
        new._lock = threading.Lock()
        with self._lock:
            sets = OrderedDict(self._sets)
        added = {key: [] for key in sets}
        for index, lexemes in enumerate(vectors):
            for column, words in lexemes.items():
                for word in words or ():
                    rows_of = added.get((column, word))
                    if rows_of is not None:
                        rows_of.append(new_place[index])
        new._sets, new._kept_rows = OrderedDict(), 0
        unchanged_rows = np.flatnonzero(kept)
        if np.array_equal(old_place[kept], unchanged_rows):
            # The usual change (edits, resources added at the end): every
            # other resource keeps its row, so a set is carried over as it is
            # unless a changed row left it or joined it, and then only those
            # rows are taken out or put in (copying and sorting every set cost
            # 160-370 ms a change at 100,000 resources).
            changed_rows = np.flatnonzero(~kept).astype(np.int32)
            for key, rows_ in sets.items():
                if len(rows_):
                    found = np.searchsorted(rows_, changed_rows)
                    before = changed_rows[
                        (found < len(rows_)) & (rows_[np.minimum(found, len(rows_) - 1)] == changed_rows)
                    ]
                else:
                    before = changed_rows[:0]
                if len(before) or added[key]:
                    after = np.unique(np.asarray(added[key], dtype=np.int32))
                    if not np.array_equal(before, after):
                        leaving, joining = np.setdiff1d(before, after), np.setdiff1d(after, before)
                        if len(leaving):
                            rows_ = np.delete(rows_, np.searchsorted(rows_, leaving))
                        if len(joining):
                            rows_ = np.insert(rows_, np.searchsorted(rows_, joining), joining).astype(np.int32)
                new._sets[key] = rows_
                new._kept_rows += len(rows_)
            return new
        for key, rows_ in sets.items():
            moved = old_place[rows_]
            joined = np.concatenate([moved[moved >= 0], np.asarray(added[key], dtype=np.int64)])
            new._sets[key] = np.sort(joined).astype(np.int32)
            new._kept_rows += len(joined)
        return new

    # --- who may find what: PostgresBackend._permission and _where, as arrays ---
    def _holding(self, grant, principals):
        codes = [self.tokens[t] for t in principals if t in self.tokens]
        indexes, found = self.grants[grant]
        mask = np.zeros(len(self.node_ids), dtype=bool)
        mask[indexes[np.isin(found, codes)]] = True
        return mask

    def findable(self, plan):
        """(by notice, in full): masks of the rows whoever asks may find, the
        plan's filters applied, as _where and _permission decide in SQL (the
        property test test_visibility_agrees checks both against the ACL)."""
        moment = int(plan.now.timestamp())
        open_ = (self.effective <= moment) & (self.expires > moment)
        staff = self._holding("allowed", plan.principals)
        notice = staff | (self._holding("notice", plan.principals) & open_)
        full = staff | (self._holding("public", plan.principals) & open_)
        chosen = np.ones(len(self.node_ids), dtype=bool)
        for name in FACETS:
            value = plan.filters.get(name)
            if value:
                indexes, codes = self.entries[name]
                having = np.zeros(len(self.node_ids), dtype=bool)
                having[indexes[codes == self.codes[name].get(value, -1)]] = True
                chosen &= having
        if plan.year_from:
            chosen &= self.year >= plan.year_from
        if plan.year_to:
            chosen &= self.year <= plan.year_to
        return notice & chosen, notice & chosen & full

    def members(self, connection, plan, reaches):
        """The node ids each (column, query tree) of ``reaches`` matches among
        what whoever asks may find (the full text: who may read it in full),
        composed from the sets of its words (a tree is ANDs and ORs of
        lexemes, as Translation.tsquery writes it)."""
        known = self.words(connection, {(column, word) for column, tree in reaches for word in _words(tree)})
        by_notice, in_full = self.findable(plan)
        out = []
        for column, tree in reaches:
            matching = _composed(tree, column, known, len(self.node_ids))
            if matching is None:
                out.append(np.zeros(0, dtype=np.int64))
                continue
            out.append(self.node_ids[matching & (in_full if column == "body" else by_notice)])
        return out

    def words(self, connection, keys):
        """{(column, lexeme): rows holding it}, those not kept yet asked in one
        statement (each from its GIN index) and kept."""
        with self._lock:
            known = {}
            for key in keys:
                if key in self._sets:
                    known[key] = self._sets[key]
                    self._sets.move_to_end(key)
        missing = sorted(key for key in keys if key not in known)
        if missing:
            params = {f"q{n}": _lexeme_literal(word) for n, (_column, word) in enumerate(missing)}
            found = connection.execute(
                text(
                    "SELECT "
                    + ", ".join(
                        f"(SELECT array_agg(node_id) FROM search_documents WHERE doctype = 'resource' "
                        f"AND {column} @@ CAST(:q{n} AS tsquery))"
                        for n, (column, _word) in enumerate(missing)
                    )
                ),
                params,
            ).one()
            fetched = {key: self._rows(ids) for key, ids in zip(missing, found, strict=True)}
            known.update(fetched)
            self.keep(fetched)
        return known

    def keep(self, fetched):
        """Keep word sets, the least recently asked let go beyond MAX_SET_ROWS."""
        with self._lock:
            for key, rows in fetched.items():
                if key not in self._sets:
                    self._sets[key] = rows
                    self._kept_rows += len(rows)
            while self._kept_rows > self.MAX_SET_ROWS and self._sets:
                _key, rows = self._sets.popitem(last=False)
                self._kept_rows -= len(rows)

    def warm(self, connection, floor, budget):
        """Read the sets of the words at least ``floor`` resources hold (the
        ones a first query would wait for: a broad word's rows are read one by
        one) in one pass over the vectors, broadest first, up to ``budget``
        rows in all. A process's first queries then cost what later ones do."""
        chosen, rows = [], 0
        for lexeme, documents in connection.execute(
            text("SELECT lexeme, documents FROM search_lexemes WHERE documents >= :f ORDER BY documents DESC"),
            {"f": floor},
        ):
            if lexeme[:1] not in COLUMN_OF_PREFIX or rows + documents > budget:
                continue
            chosen.append(lexeme)
            rows += documents
        # One pass over the rows: the search's "enable_seqscan = off" would
        # walk them in node order instead.
        before = connection.scalar(text("SELECT current_setting('enable_seqscan')"))
        connection.execute(text("SET LOCAL enable_seqscan = on"))
        for column in ("head", "body"):
            lexemes = [x for x in chosen if COLUMN_OF_PREFIX[x[0]] == column]
            if not lexemes:
                continue
            found = connection.execute(
                text(
                    f"SELECT u.lexeme, array_agg(d.node_id) FROM search_documents d, unnest(d.{column}) AS u "
                    "WHERE d.doctype = 'resource' AND u.lexeme = ANY(:l) GROUP BY u.lexeme"
                ),
                {"l": lexemes},
            ).all()
            held = {lexeme: ids for lexeme, ids in found}
            # Narrowest first: the least recently asked go first when the
            # sets outgrow MAX_SET_ROWS, and a broad word's set costs most to
            # read again.
            self.keep({(column, lexeme): self._rows(held.get(lexeme)) for lexeme in reversed(lexemes)})
        connection.execute(text("SELECT set_config('enable_seqscan', :v, true)"), {"v": before})
        return len(chosen)

    def _rows(self, ids):
        """Rows of these node ids, sorted; ids this table does not hold (a
        document written after it was read: the next query reads it again)
        are left out."""
        ids = np.asarray(ids or [], dtype=np.int64)
        rows = np.searchsorted(self.node_ids, ids)
        inside = rows < len(self.node_ids)
        rows, ids = rows[inside], ids[inside]
        return np.sort(rows[self.node_ids[rows] == ids]).astype(np.int32)

    def count(self, node_ids):
        """(total, facets) of the resources ``node_ids``, as _count gives them."""
        ids = np.unique(np.asarray(node_ids, dtype=np.int64))
        _common, rows, _other = np.intersect1d(self.node_ids, ids, assume_unique=True, return_indices=True)
        kept = np.zeros(len(self.node_ids), dtype=bool)
        kept[rows] = True
        out = {name: {} for name in (*FACETS, "year")}
        for name in self.NAMES:
            indexes, codes = self.entries[name]
            counts = np.bincount(codes[kept[indexes]], minlength=len(self.codes[name]))
            for code in np.flatnonzero(counts):
                out[name][self.values[name][code]] = int(counts[code])
        return int(kept.sum()), out


def _words(tree):
    """The lexemes of a query tree that decide whether a document matches."""
    from whoosh.query import And, AndMaybe, Or, Term

    if isinstance(tree, Term):
        return [FIELDS[tree.fieldname][0] + tree.text] if tree.fieldname in FIELDS else []
    if isinstance(tree, (And, Or)):
        return [word for part in tree.subqueries for word in _words(part)]
    if isinstance(tree, AndMaybe):
        return _words(tree.a)
    return []


def _composed(tree, column, known, size):
    """Which of ``size`` rows match a tree (a mask), from its words' sets:
    what its tsquery (Translation.tsquery) matches; None where it cannot
    match. Masks, not sorted arrays: a broad word's union costs one pass."""
    from whoosh.query import And, AndMaybe, Or, Term

    if isinstance(tree, Term):
        if tree.fieldname not in FIELDS:
            return None
        mask = np.zeros(size, dtype=bool)
        mask[known[(column, FIELDS[tree.fieldname][0] + tree.text)]] = True
        return mask
    if isinstance(tree, AndMaybe):
        return _composed(tree.a, column, known, size)
    if isinstance(tree, (And, Or)):
        parts = [_composed(part, column, known, size) for part in tree.subqueries]
        if isinstance(tree, And):
            if not parts or any(part is None for part in parts):
                return None
            return np.logical_and.reduce(parts)
        parts = [part for part in parts if part is not None]
        return np.logical_or.reduce(parts) if parts else None
    raise TypeError(f"query node not handled: {type(tree).__name__}")


def _resources_first(rows):
    """A batch's resource rows, then its page rows: written in that order, a
    query's matches (resources) lie in runs of neighbouring blocks."""
    return sorted(rows, key=lambda row: row["doctype"] != "resource")


def _title_part(notice):
    """The title terms of a notice's tree (the optional part of its
    AndMaybe): the first pass orders candidates by them too."""
    from whoosh.query import AndMaybe, Or

    if isinstance(notice, AndMaybe):
        return notice.b
    if isinstance(notice, Or):
        parts = [p for p in (_title_part(q) for q in notice.subqueries) if p is not None]
        return Or(parts) if parts else None
    return None


def _ranks(values):
    """The rank of each value in sorted order (titles)."""
    order = sorted(range(len(values)), key=values.__getitem__)
    out = np.empty(len(values), dtype=np.int64)
    out[order] = np.arange(len(values))
    return out


class _InTransaction:
    """The new table of a rebuild, for its replay (words are counted at the swap)."""

    def __init__(self, backend, connection, table):
        self.backend = backend
        self.connection = connection
        self.table = table

    def update(self, documents_by_node, session=None, lock_timeout=None):
        if documents_by_node:
            ids = list(documents_by_node)
            self.connection.execute(text(f"DELETE FROM {self.table} WHERE node_id = ANY(:ids)"), {"ids": ids})
            rows = [row_of(d) for documents in documents_by_node.values() for d in documents]
            if rows:
                self.connection.execute(insert(self.table), rows)
