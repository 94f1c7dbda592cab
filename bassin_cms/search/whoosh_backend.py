"""The embedded search backend: Whoosh 2.7.4 files under ``var/index``
(index.py), each clause matched and scored in bulk by engine.py, ranked by
ranking.py, facets and sorts from resource_table.py."""

import numpy as np
from whoosh.query import And, NumericRange, Or, Term

from . import engine
from .analysis import correction_distance, edit_distance, french_analyzer, tokens
from .backend import Found, SearchBackend
from .index import SearchIndex
from .ranking import Ranked, rank, union
from .resource_table import FACETS, ResourceTable

_FR = french_analyzer()

# The token field of each reach: who may find a resource by its notice, who by its full text.
REACH_FIELDS = {"notice": "notice", "full": "public"}


def _permitted(searcher, principals, ts, reach):
    """The resource documents ``principals`` may find at ``ts`` (by their
    notice or full text: ``reach``), as a sorted array: the index form of
    the visibility rule (test_visibility_agrees checks it against the ACL):
    those whose ``allowed`` holds one of the principals (staff, local roles),
    and those whose ``reach`` field holds one while open (effective up to
    ``ts``, expires after). The dates are read the other way round: not the
    documents open at ``ts`` (nearly all: a range Whoosh walks document by
    document, 2.5 s at 100,000 resources, measured, again after every commit
    and every minute) but the few closed at ``ts``, taken out (every resource
    document holds both dates: documents.py)."""
    resources = engine.evaluate(searcher, Term("doctype", "resource")).ids
    staff = engine.evaluate(searcher, Or([Term("allowed", p) for p in principals])).ids
    reached = engine.evaluate(searcher, Or([Term(REACH_FIELDS[reach], p) for p in principals])).ids
    closed = engine.evaluate(
        searcher, Or([NumericRange("effective", ts + 1, None), NumericRange("expires", None, ts)])
    ).ids
    public = np.setdiff1d(reached, closed, assume_unique=True)
    return np.intersect1d(resources, np.union1d(staff, public), assume_unique=True)


class WhooshBackend(SearchIndex, SearchBackend):
    name = "whoosh"

    def update(self, documents_by_node, session=None, lock_timeout=None):
        return SearchIndex.update(self, documents_by_node, lock_timeout=lock_timeout)

    def find(self, plan):
        return self.read(lambda searcher: self._find(searcher, plan))

    def _find(self, searcher, plan):
        notice_docs = self.filtered_docs(searcher, plan, "notice")
        full_docs = self.filtered_docs(searcher, plan, "full")
        if plan.query is None:
            docs = notice_docs if plan.reach == "notice" else full_docs
            ranked = Ranked(ids=docs, scores=np.zeros(len(docs)))
        else:
            weights = plan.query.weights

            memo = {}  # a span's other names are asked by each of its words: evaluated once

            def matches(parts):
                """[(Matches, strength)] of Parts, each reach for who may search it."""

                def found(query, docs):
                    if query is None:
                        return None
                    key = (query, docs is notice_docs)
                    if key not in memo:
                        memo[key] = engine.evaluate(searcher, query).restrict(docs)
                    return memo[key]

                return [
                    (found(parts.notice, notice_docs), 1.0),
                    (found(parts.people, notice_docs), weights.people_hold),
                    (found(parts.full, full_docs), weights.full_hold),
                ]

            clauses = plan.query.clauses
            ranked = rank(
                [matches(c.parts) for c in clauses],
                [c.required for c in clauses],
                [(union([m for m, _w in matches(parts)]), parts.between) for parts in plan.query.proximity],
                near_hold=weights.near_hold,
            )
        table = ResourceTable.of(searcher)
        out = Found(
            total=len(ranked),
            facets=table.count(ranked.ids),
            clause_totals=ranked.clause_totals,
            complete=ranked.complete,
        )
        if out.total and not plan.count_only:
            tiers = ranked.coordination if plan.query is not None else None
            shown = table.order(
                ranked.ids, ranked.scores, plan.sort, plan.start, plan.stop, plan.downloads, tiers=tiers
            )
            lacking = ranked.missing([docnum for docnum, _score in shown])
            # The node ids from the table, not the stored fields (decompressed
            # and unpickled a hit: 3 % of a search's time, measured).
            node_ids = table.node_ids[table.rows(np.asarray([docnum for docnum, _score in shown], dtype=np.int64))]
            for (docnum, score), node_id in zip(shown, node_ids.tolist(), strict=True):
                out.hits.append(({"node_id": node_id}, score))
                if docnum in lacking:
                    out.missing[node_id] = lacking[docnum]
        return out

    @staticmethod
    def allowed_docs(searcher, principals, now, reach="full"):
        """The resource documents these principals may find now (by their
        notice, or by their full text: ``reach``), as a sorted array of
        document numbers: computed once per searcher (a refresh drops it) and
        per minute, instead of building the permission and date filter on
        every query (the costliest part of a query, measured)."""
        cache = searcher.__dict__.setdefault("_bassin_allowed", {})
        start = int(now.timestamp()) // 60 * 60
        if len(cache) > 200:
            cache.clear()
        # The same answer holds for the whole minute only if no date of the
        # index falls inside it; otherwise it is computed for this second (a
        # minute's answer let a scheduled resource be found up to 59 s early).
        changes = cache.get(("dates", start))
        if changes is None:
            inside = Or(
                [NumericRange("effective", start + 1, start + 59), NumericRange("expires", start + 1, start + 59)]
            )
            changes = cache[("dates", start)] = len(engine.evaluate(searcher, inside).ids) > 0
        if changes:
            return _permitted(searcher, principals, int(now.timestamp()), reach)
        key = (tuple(sorted(principals)), start, reach)
        docs = cache.get(key)
        if docs is None:
            docs = cache[key] = _permitted(searcher, principals, start, reach)
        return docs

    def filtered_docs(self, searcher, plan, reach="full"):
        docs = self.allowed_docs(searcher, plan.principals, plan.now, reach)
        for name in FACETS:
            value = plan.filters.get(name)
            if value:
                docs = np.intersect1d(docs, engine.evaluate(searcher, Term(name, value)).ids, assume_unique=True)
        if plan.year_from or plan.year_to:
            years = engine.evaluate(searcher, NumericRange("year", plan.year_from, plan.year_to)).ids
            docs = np.intersect1d(docs, years, assume_unique=True)
        return docs

    def snippet_pages(self, node_ids, words, best=None, numbers=()):
        """Only the pages that may be shown are read from the stored fields
        (their text decompressed: a fifth of a search's time when each
        result has dozens of pages holding the words, measured): a node's
        ``best`` highest scores, and those holding a typed number."""

        def pages(searcher):
            own = {n: engine.evaluate(searcher, Term("node", str(n))).ids for n in node_ids}
            candidates = np.unique(np.concatenate(list(own.values())))
            found = engine.evaluate(searcher, Or([Term("page_text", w) for w in words]), within=candidates)
            named = set()
            for number in numbers:
                held = tokens(_FR, number)
                if held:
                    query = And([Term("page_text", t) for t in held])
                    named.update(engine.evaluate(searcher, query, within=found.ids).ids.tolist())
            chosen = []
            for node_id, docs in own.items():
                _common, in_found, _in_docs = np.intersect1d(found.ids, docs, assume_unique=True, return_indices=True)
                docnums, scores = found.ids[in_found], found.scores[in_found]
                if best is not None and len(scores) > best:
                    floor = np.partition(scores, len(scores) - best)[len(scores) - best]
                    keep = (scores >= floor) | np.isin(docnums, list(named))
                    docnums, scores = docnums[keep], scores[keep]
                chosen += [
                    (node_id, score, docnum) for docnum, score in zip(docnums.tolist(), scores.tolist(), strict=True)
                ]
            stored = engine.stored_fields_cache.read(searcher, [docnum for _node, _score, docnum in chosen])
            return [(node_id, score, fields) for (node_id, score, _docnum), fields in zip(chosen, stored, strict=True)]

        if not node_ids or not words:
            return []
        return self.read(pages)

    def known_words(self, words):
        if not words:
            return set()
        return self.read(lambda searcher: {w for w in words if ("spell", w) in searcher.reader()})

    def corrections(self, words):
        """Candidates share the word's first letter: Whoosh otherwise measures
        the distance to every word of the index (650 ms a query at 10,000
        resources, measured); a typo in the first letter is the rarer case."""
        if not words:
            return {}
        return self.read(lambda searcher: self._cached_corrections(searcher, tuple(words)))

    @staticmethod
    def _cached_corrections(searcher, words):
        cache = searcher.__dict__.setdefault("_bassin_corrections", {})
        if len(cache) > 1000:
            cache.clear()
        reader = searcher.reader()
        out = {}
        for word in words:
            if word not in cache:
                cache[word] = None
                if ("spell", word) not in reader:
                    maxdist = correction_distance(word)
                    candidates = [
                        (edit_distance(word, c), -reader.doc_frequency("spell", c), c)
                        for c in (
                            t.decode() if isinstance(t, bytes) else t
                            for t in reader.terms_within("spell", word, maxdist, prefix=1)
                        )
                        if c != word
                    ]
                    if candidates:
                        cache[word] = _spelt(reader, min(candidates)[2])
            if cache[word]:
                out[word] = cache[word]
        return out


def _spelt(reader, word):
    """``word`` (folded) as the public notices most often spell it."""
    prefix = f"{word}="
    best, count = word, 0
    for term in reader.expand_prefix("spelling", prefix):
        term = term.decode() if isinstance(term, bytes) else term
        frequency = reader.doc_frequency("spelling", term)
        if frequency > count:
            best, count = term[len(prefix) :], frequency
    return best
