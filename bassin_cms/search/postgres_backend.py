"""The production search backend: PostgreSQL full text, in the site's own
database, written in the transaction of each change (nothing to drift, no
``var/index``, one index for every application server).

How the documents are stored (decisions in docs/search-backends.md):

- The analysis is the shared one (analysis.py: elisions, accents folded before
  the French Snowball stemmer, digits apart from letters, hyphenated names
  split), run in Python at index and query time as for Whoosh, so both
  backends see the same tokens and pass one contract suite. Each token is
  stored as a lexeme prefixed by its field's letter (``x`` text, ``t`` title,
  ``e`` exact title words, ``q`` title word pairs, ``p`` word pairs, ``g`` page
  text), with as many positions as occurrences (its frequency, for ts_rank)
  labelled with its field's weight class, in one tsvector column ``body`` with
  a GIN index: a query is one tsquery. ``head`` repeats the title's lexemes
  and the text's first words (title, summary, terms), small enough to stay in
  the row. Phrases are word pairs, looked up like words: "sainte-barbe" in a
  phrase matches.
- Ranking: the sum over the query's words of inverse document frequency
  (ts_rank has none; document frequencies counted by ts_stat at each
  rebuild into ``search_lexemes``, again when the number of documents moved
  by a tenth, cached per process for ``IDF_TTL`` seconds) × weighted ts_rank
  of that word, each vector read once a row. When more than ``RERANK`` documents match, the ``RERANK`` best by
  ``head`` are ranked so, the others follow by date: a word in a title or a
  summary outranks the same word on page 150 of a report.
- The permission filter is the shared tokens (schema.py) as text arrays with
  the array overlap operator; dates as epoch seconds; facets as text arrays,
  counted in SQL over the matches, and sorted in SQL.
- "Did you mean": the words of public resources in ``search_words`` with a
  trigram index (pg_trgm), the candidate sharing the first letter.
- The ``bassin_french`` text search configuration (French stemmer after
  unaccent, without the hyphenated-word mappings) is created for SQL users
  of the tables, e.g. ad hoc reports with to_tsvector; the application
  itself queries the analysed lexemes.
"""

import json
import threading
import time
from collections import Counter

from sqlalchemy import text

from .analysis import exact_analyzer, french_analyzer, pairs_analyzer, tokens
from .backend import Found, SearchBackend
from .resource_table import FACETS

SCHEMA_VERSION = "4"  # 4: visibility tokens (workflow/visibility.py)
IDF_TTL = 600
MAX_POSITIONS = 255  # a tsvector keeps at most 256 positions a lexeme
MAX_LEXEMES_BYTES = 900_000  # under tsvector's 1 MB
LIST_FACETS = ("theme", "territory", "audience", "level", "subject")

_FR, _EXACT, _PAIRS = french_analyzer(), exact_analyzer(), pairs_analyzer()
# field -> (prefix, analyzer, weight class). Every lexeme is in ``terms``,
# labelled with its field's class; the classes weigh as the Whoosh schema's
# boosts do (title 4, exact title words and pairs 6, pairs 2, text 1), scaled
# into ts_rank's 0..1 weights. ``head`` holds the title fields again, small
# and never toasted, for the first ranking of very broad queries.
FIELDS = {
    "title": ("t", _FR, "B"),
    "title_exact": ("e", _EXACT, "A"),
    "title_pairs": ("q", _PAIRS, "A"),
    "text": ("x", _FR, "D"),
    "pairs": ("p", _PAIRS, "C"),
    "page_text": ("g", _FR, "D"),
}
WEIGHTS = "'{0.1, 0.2, 0.4, 0.6}'"  # D, C, B, A: text 1, pairs 2, title 4, exact title 6
HEAD_FIELDS = ("title", "title_exact", "title_pairs")
LEAD_TOKENS = 120  # the text's first words (title, summary, terms) in ``head``
RERANK = 200  # candidates ranked on their whole text, with each word's idf
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
]
COLUMNS = (
    "id",
    "node_id",
    "doctype",
    "head",
    "body",
    "allowed",
    "public",
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


def vector(counts, weights=None):
    """A tsvector literal: each lexeme with one position per occurrence (its
    frequency, which ts_rank reads), labelled with its field's weight class."""
    parts, size = [], 0
    for lexeme, count in sorted(counts.items()):
        label = (weights or {}).get(lexeme, "")
        label = "" if label == "D" else label
        part = f"{_lexeme_literal(lexeme)}:" + ",".join(f"{i}{label}" for i in range(1, min(count, MAX_POSITIONS) + 1))
        size += len(part) + 1
        if size > MAX_LEXEMES_BYTES:
            break
        parts.append(part)
    return " ".join(parts)


def analysed(document):
    """(Counter of every prefixed lexeme, {lexeme: weight class}, Counter of
    the title's lexemes) of a document."""
    counts, weights, head = Counter(), {}, Counter()
    for name, (prefix, analyzer, weight) in FIELDS.items():
        value = document.get(name)
        if value:
            lexemes = [prefix + token for token in tokens(analyzer, value)]
            counts.update(lexemes)
            weights.update(dict.fromkeys(lexemes, weight))
            if name in HEAD_FIELDS:
                head.update(lexemes)
            elif name == "text":
                head.update(lexemes[:LEAD_TOKENS])
    return counts, weights, head


def _split(value):
    return [v for v in (value or "").split(",") if v]


def row_of(document):
    counts, weights, head = analysed(document)
    meta = document.get("meta") or {}
    return {
        "id": document["id"],
        "node_id": document["node_id"],
        "doctype": document.get("doctype", "resource"),
        "head": vector(head, weights),
        "body": vector(counts, weights),
        "allowed": _split(document.get("allowed")),
        "public": _split(document.get("public")),
        "effective": int(document.get("effective") or 0),
        "expires": int(document.get("expires") or 2**62),
        "kind": document.get("kind") or "",
        **{name: _split(document.get(name)) for name in LIST_FACETS},
        "year": int(document.get("year") or 0),
        "sort_date": int(document.get("sort_date") or 0),
        "sort_title": document.get("sort_title") or "",
        "spell": sorted(set(tokens(_EXACT, document.get("spell") or ""))),
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
INDEX_DDL = {
    "ix_search_documents_node_id": "ON {table} (node_id)",
    # Partial: a query asks for resource documents only, and the planner then
    # finds one index for both conditions.
    "ix_search_documents_body": "ON {table} USING gin (body) WHERE doctype = 'resource'",
}


class Translation:
    """A shared query tree as one tsquery (which documents match: the GIN
    index answers it) and its words (each scored with its idf)."""

    def __init__(self):
        self.params = {}
        self.lexemes = []

    def param(self, value):
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def tsquery(self, node):
        from whoosh.query import And, AndMaybe, Or, Term

        if isinstance(node, Term):
            if node.fieldname not in FIELDS:
                return None
            lexeme = FIELDS[node.fieldname][0] + node.text
            self.lexemes.append(lexeme)
            return _lexeme_literal(lexeme)
        if isinstance(node, (And, Or)):
            parts = [self.tsquery(q) for q in node.subqueries]
            if isinstance(node, And) and None in parts:
                return None
            parts = [p for p in parts if p is not None]
            if not parts:
                return None
            return "(" + (" & " if isinstance(node, And) else " | ").join(parts) + ")"
        if isinstance(node, AndMaybe):
            required = self.tsquery(node.a)
            self.tsquery(node.b)  # its words score, they are not required
            return required
        raise TypeError(f"query node not handled: {type(node).__name__}")

    def any_word(self):
        """Every word of the query, required or not: what the first ranking reads."""
        return " | ".join(_lexeme_literal(x) for x in dict.fromkeys(self.lexemes)) or None


class PostgresBackend(SearchBackend):
    name = "postgresql"
    transactional = True

    def __init__(self, engine):
        self.engine = engine
        self._idf = {}
        self._idf_lock = threading.Lock()

    # --- the tables ----------------------------------------------------------
    def ensure(self):
        with self.engine.begin() as connection:
            existed = connection.scalar(text("SELECT to_regclass('search_documents') IS NOT NULL"))
            for statement in DDL:
                connection.execute(text(statement))
            for name, ddl in INDEX_DDL.items():
                connection.execute(text(f"CREATE INDEX IF NOT EXISTS {name} " + ddl.format(table="search_documents")))
            connection.execute(
                text("INSERT INTO search_meta (key, value) VALUES ('schema', :v) ON CONFLICT (key) DO NOTHING"),
                {"v": SCHEMA_VERSION},
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
                connection.execute(text("SELECT count(*) FROM search_documents WHERE body @@ 'xbassin'::tsquery"))
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
                        connection.execute(insert(fresh), rows)
                    rows = []
            with self.engine.begin() as connection:
                if rows:
                    connection.execute(insert(fresh), rows)
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
                f"ts_stat('SELECT body FROM {table} WHERE doctype = ''resource''')"
            )
        )

    def _where(self, plan, translation):
        ts = int(plan.now.timestamp())
        principals = translation.param(list(plan.principals))
        clauses = [
            "doctype = 'resource'",
            f"(allowed && CAST({principals} AS text[]) OR (public && CAST({principals} AS text[]) "
            f"AND effective <= {translation.param(ts)} AND expires > {translation.param(ts)}))",
        ]
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

    def find(self, plan):
        translation = Translation()
        clauses = self._where(plan, translation)
        matching = translation.tsquery(plan.query) if plan.query is not None else None
        if plan.query is not None and matching is None:
            return Found(facets=self._facets([]))
        if matching is not None:
            clauses.append(f"body @@ CAST({translation.param(matching)} AS tsquery)")
        where = " AND ".join(clauses)
        facet_rows = " UNION ALL ".join(
            [
                "SELECT 'kind' AS facet, kind AS value FROM m WHERE kind <> ''",
                "SELECT 'year', CAST(year AS text) FROM m WHERE year <> 0",
            ]
            + [f"SELECT '{name}', unnest({name}) FROM m" for name in LIST_FACETS]
        )
        with self.engine.connect() as connection:
            if matching is not None:
                # The planner prices @@ as cheap and may filter every resource
                # row instead of asking the GIN index: each test then reads a
                # toasted vector (30 ms instead of 6 at 2,000 resources).
                connection.execute(text("SET LOCAL enable_seqscan = off"))
            # 1. How many, and the facets: the matches' small columns only.
            total, facet_counts = connection.execute(
                text(
                    f"WITH m AS MATERIALIZED (SELECT kind, year, {', '.join(LIST_FACETS)} FROM search_documents "
                    f"WHERE {where}), f AS (SELECT facet, value, count(*) AS n FROM ({facet_rows}) AS x "
                    "GROUP BY facet, value) SELECT (SELECT count(*) FROM m), "
                    "(SELECT coalesce(json_agg(json_build_array(facet, value, n)), '[]') FROM f)"
                ),
                translation.params,
            ).one()
            found = Found(total=total, facets=self._facets(facet_counts))
            if plan.count_only or not total or plan.start >= total:
                return found
            # 2. The page: by a column, or by relevance in two steps.
            if plan.sort in ("date", "title") or matching is None and plan.sort != "downloads":
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
            if matching is None:  # downloads, no words: every match, by downloads then date
                rows = [
                    (n, meta, 0.0)
                    for n, meta in connection.execute(
                        text(
                            f"SELECT node_id, meta FROM search_documents WHERE {where} ORDER BY sort_date DESC, node_id"
                        ),
                        translation.params,
                    )
                ]
            else:
                rows = self._ranked(connection, plan, translation, where, total)
            if plan.sort == "downloads":
                downloads = plan.downloads or {}
                rows.sort(key=lambda r: (-downloads.get(r[0], 0), -r[2], r[0]))
            found.hits = [
                ({"node_id": n, "meta": meta}, float(score)) for n, meta, score in rows[plan.start : plan.stop]
            ]
            return found

    def _ranked(self, connection, plan, translation, where, total):
        """[(node id, meta, score)], best first: the sum, over the query's
        words, of idf × weighted ts_rank of that word in the whole document.
        When more than RERANK documents match (and more than the page asked),
        only the best RERANK by their ``head`` (title, summary, terms: small,
        stored in the row) are ranked so; the others follow by date."""
        keep = max(RERANK, int(plan.stop) + 50) if plan.sort != "downloads" else None
        lexemes = list(dict.fromkeys(translation.lexemes))
        # Words (text, title, exact title) weigh one by one; word pairs (phrases
        # and the names a synonym adds) together: they are many, and each one
        # costs a ts_rank a row.
        words = [x for x in lexemes if x[0] in "xte"]
        pairs = [x for x in lexemes if x[0] in "pq"]
        if keep is not None and total > keep:
            first_words = translation.param(" | ".join(map(_lexeme_literal, words or pairs)))
            limit = (
                f"ORDER BY ts_rank({WEIGHTS}, head, CAST({first_words} AS tsquery)) DESC, sort_date DESC, "
                f"node_id LIMIT {keep}"
            )
        else:
            limit = ""
        weights = self.idfs(connection, lexemes)
        scores = [
            f"{weights[x]:.6f} * ts_rank({WEIGHTS}, head, CAST({translation.param(_lexeme_literal(x))} AS tsquery))"
            for x in words
        ]
        if pairs:
            together = translation.param(" | ".join(map(_lexeme_literal, pairs)))
            scores.append(
                f"{max(weights[x] for x in pairs):.6f} * ts_rank({WEIGHTS}, head, CAST({together} AS tsquery))"
            )
        if lexemes:
            every = translation.param(translation.any_word())
            scores.append(f"{max(weights.values()):.6f} * ts_rank({WEIGHTS}, body, CAST({every} AS tsquery), 1)")
        statement = (
            f"WITH c AS MATERIALIZED (SELECT node_id, meta, head, body FROM search_documents "
            f"WHERE {where} {limit}) "
            f"SELECT node_id, meta, {' + '.join(scores) or '0'} AS score FROM c ORDER BY score DESC, node_id"
        )
        return [tuple(r) for r in connection.execute(text(statement), translation.params)]

    @staticmethod
    def _facets(rows):
        out = {name: {} for name in (*FACETS, "year")}
        for facet, value, count in rows:
            out[facet][int(value) if facet == "year" else value] = count
        return out

    def snippet_pages(self, node_ids, words):
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

    def suggest(self, text_):
        from .services import suggestion_for

        with self.engine.connect() as connection:

            def nearest(word):
                if connection.scalar(text("SELECT 1 FROM search_words WHERE word = :w"), {"w": word}):
                    return [word]
                found = connection.scalar(
                    text(
                        "SELECT word FROM search_words WHERE word % :w AND left(word, 1) = left(:w, 1) "
                        "ORDER BY similarity(word, :w) DESC, documents DESC, word LIMIT 1"
                    ),
                    {"w": word},
                )
                return [found] if found else []

            return suggestion_for(text_, nearest)


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
