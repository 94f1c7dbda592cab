"""The embedded search backend: Whoosh 2.7.4 files under ``var/index``
(index.py), queries matched and scored in bulk by engine.py, facets and sorts
from resource_table.py."""

import datetime as dt

import numpy as np
from whoosh.query import And, NumericRange, Or, Term

from . import engine
from .backend import Found, SearchBackend
from .index import SearchIndex
from .resource_table import FACETS, ResourceTable


def permission_filter(principals, now):
    ts = int(now.timestamp())
    staff = Or([Term("allowed", p) for p in principals])
    public = And(
        [
            Or([Term("public", p) for p in principals]),
            NumericRange("effective", None, ts),
            NumericRange("expires", ts, None, startexcl=True),
        ]
    )
    return Or([staff, public])


class WhooshBackend(SearchIndex, SearchBackend):
    name = "whoosh"

    def update(self, documents_by_node, session=None, lock_timeout=None):
        return SearchIndex.update(self, documents_by_node, lock_timeout=lock_timeout)

    def find(self, plan):
        return self.read(lambda searcher: self._find(searcher, plan))

    def _find(self, searcher, plan):
        allowed = self.filtered_docs(searcher, plan)
        if plan.query is None:
            found = engine.Matches(allowed, np.zeros(len(allowed)))
        else:
            found = engine.evaluate(searcher, plan.query).restrict(allowed)
        table = ResourceTable.of(searcher)
        out = Found(total=len(found), facets=table.count(found.ids))
        if out.total and not plan.count_only:
            shown = table.order(found.ids, found.scores, plan.sort, plan.start, plan.stop, plan.downloads)
            out.hits = [(searcher.stored_fields(docnum), score) for docnum, score in shown]
        return out

    @staticmethod
    def allowed_docs(searcher, principals, now):
        """The resource documents these principals may find now, as a sorted
        array of document numbers: computed once per searcher (a refresh drops
        it) and per minute, instead of building the permission and date filter
        on every query (the costliest part of a query, measured)."""
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
            return engine.evaluate(searcher, And([Term("doctype", "resource"), permission_filter(principals, now)])).ids
        key = (tuple(sorted(principals)), start)
        docs = cache.get(key)
        if docs is None:
            moment = dt.datetime.fromtimestamp(start, dt.UTC)
            query = And([Term("doctype", "resource"), permission_filter(principals, moment)])
            docs = cache[key] = engine.evaluate(searcher, query).ids
        return docs

    def filtered_docs(self, searcher, plan):
        docs = self.allowed_docs(searcher, plan.principals, plan.now)
        for name in FACETS:
            value = plan.filters.get(name)
            if value:
                docs = np.intersect1d(docs, engine.evaluate(searcher, Term(name, value)).ids, assume_unique=True)
        if plan.year_from or plan.year_to:
            years = engine.evaluate(searcher, NumericRange("year", plan.year_from, plan.year_to)).ids
            docs = np.intersect1d(docs, years, assume_unique=True)
        return docs

    def snippet_pages(self, node_ids, words):
        def pages(searcher):
            candidates = engine.evaluate(searcher, Or([Term("node", str(n)) for n in node_ids]))
            found = engine.evaluate(searcher, Or([Term("page_text", w) for w in words]), within=candidates.ids)
            out = []
            for docnum, score in zip(found.ids.tolist(), found.scores.tolist(), strict=False):
                fields = searcher.stored_fields(docnum)
                out.append((fields["node_id"], score, fields))
            return out

        if not node_ids or not words:
            return []
        return self.read(pages)

    def suggest(self, text):
        """Candidates share the word's first letter: Whoosh otherwise measures
        the distance to every word of the index (650 ms a query at 10,000
        resources, measured); a typo in the first letter is the rarer case."""
        return self.read(lambda searcher: self._cached_suggestion(searcher, text))

    @staticmethod
    def _cached_suggestion(searcher, text):
        from .services import suggestion_for

        cache = searcher.__dict__.setdefault("_bassin_suggestions", {})
        if text in cache:
            return cache[text]
        if len(cache) > 1000:
            cache.clear()
        corrector = searcher.corrector("spell")
        cache[text] = found = suggestion_for(
            text, lambda key: corrector.suggest(key, limit=1, maxdist=1 if len(key) < 8 else 2, prefix=1)
        )
        return found
