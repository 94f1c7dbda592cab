"""The facet values and sort keys of every resource document, as arrays.

Counting facets and sorting by date or title then costs a few array operations
over the matches instead of a Python loop over every hit. Each segment's part is
read once from the stored fields and cached (a publish adds a small segment,
only that one is read; an edit deletes a document from its segment, which is
not read again); the whole table is put together once per searcher.
Facet values get process-wide integer codes so that parts from different
segments concatenate without translation.
"""

import threading

import numpy as np
from whoosh.query import Term

from .ranking import page_order, sort_keys

FACETS = ("kind", "theme", "territory", "audience", "level", "subject")
COUNTED = FACETS + ("year",)

_lock = threading.Lock()
_segment_cache = {}
_codes = {name: {} for name in COUNTED}  # value -> code
_values = {name: [] for name in COUNTED}  # code -> value


def _code(name, value):
    codes = _codes[name]
    code = codes.get(value)
    if code is None:
        with _lock:
            code = codes.get(value)
            if code is None:
                code = codes[value] = len(_values[name])
                _values[name].append(value)
    return code


def _facet_values(name, value):
    if not value:
        return []
    if isinstance(value, str):
        return [v for v in value.split(",") if v]
    return [value]


class SegmentPart:
    """One segment's resource documents (local numbers) and their values."""

    def __init__(self, searcher):
        reader = searcher.reader()
        docnums = sorted(searcher.docs_for_query(Term("doctype", "resource")))
        self.docnums = np.asarray(docnums, dtype=np.int64)
        self.sort_date = np.zeros(len(docnums), dtype=np.int64)
        self.node_ids = np.zeros(len(docnums), dtype=np.int64)
        self.sort_title = []
        entries = {name: ([], []) for name in COUNTED}
        for row, docnum in enumerate(docnums):
            fields = reader.stored_fields(docnum)
            self.sort_date[row] = fields.get("sort_date") or 0
            self.node_ids[row] = fields.get("node_id") or 0
            self.sort_title.append(fields.get("sort_title") or "")
            for name in COUNTED:
                for value in _facet_values(name, fields.get(name)):
                    entries[name][0].append(row)
                    entries[name][1].append(_code(name, value))
        self.entries = {
            name: (np.asarray(rows, dtype=np.int64), np.asarray(codes, dtype=np.int64))
            for name, (rows, codes) in entries.items()
        }


def _segment_part(sub):
    # By segment alone: an edit deletes the resource's document from its
    # segment, and keyed by the live count too the largest segment was read
    # again whole (450 ms for the next search of each process at 10,000
    # resources, measured). A part read before deletions holds documents
    # since deleted; no search matches them, so no count or order sees them.
    reader = sub.reader()
    key = reader.segment().segment_id()
    with _lock:
        part = _segment_cache.get(key)
    if part is None:
        part = SegmentPart(sub)
        with _lock:
            if len(_segment_cache) > 500:
                _segment_cache.clear()
            _segment_cache[key] = part
    return part


class ResourceTable:
    def __init__(self, searcher):
        # An index with no segment yet has one EmptyReader, with no segment.
        parts = [
            (offset, _segment_part(sub))
            for sub, offset in searcher.leaf_searchers()
            if sub.reader().segment() is not None
        ]
        sizes = [len(part.docnums) for _offset, part in parts]
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64) if parts else []
        self.ids = np.concatenate([part.docnums + offset for offset, part in parts]) if parts else np.empty(0, np.int64)
        self.sort_date = np.concatenate([part.sort_date for _o, part in parts]) if parts else np.empty(0, np.int64)
        self.node_ids = np.concatenate([part.node_ids for _o, part in parts]) if parts else np.empty(0, np.int64)
        self._titles = [title for _o, part in parts for title in part.sort_title]
        self._title_rank = None
        self.entries = {}
        for name in COUNTED:
            rows = [part.entries[name][0] + start for (_o, part), start in zip(parts, starts, strict=False)]
            codes = [part.entries[name][1] for _o, part in parts]
            self.entries[name] = (
                np.concatenate(rows) if rows else np.empty(0, np.int64),
                np.concatenate(codes) if codes else np.empty(0, np.int64),
            )

    @classmethod
    def of(cls, searcher):
        """The table of this searcher, built on first use."""
        table = searcher.__dict__.get("_bassin_table")
        if table is None:
            table = searcher.__dict__["_bassin_table"] = cls(searcher)
        return table

    def rows(self, docnums):
        """Rows of these resource document numbers (a sorted array)."""
        return np.searchsorted(self.ids, docnums)

    def title_rank(self):
        if self._title_rank is None:
            order = sorted(range(len(self._titles)), key=self._titles.__getitem__)
            rank = np.empty(len(order), dtype=np.int64)
            rank[order] = np.arange(len(order))
            self._title_rank = rank
        return self._title_rank

    def count(self, docnums):
        """{facet: {value: count}} over these resource documents."""
        mask = np.zeros(len(self.ids), dtype=bool)
        mask[self.rows(docnums)] = True
        counts = {}
        for name in COUNTED:
            rows, codes = self.entries[name]
            tally = np.bincount(codes[mask[rows]])
            values = _values[name]
            counts[name] = {
                values[code]: int(n) for code, n in zip(np.nonzero(tally)[0], tally[np.nonzero(tally)[0]], strict=False)
            }
        return counts

    def order(self, docnums, scores, sort, start, stop, downloads=None, tiers=None):
        """[(docnum, score or None)] of ranks start..stop: by score, newest
        first, by title, or most downloaded first (``downloads``: {node id:
        count}; ties by score); then by document number. ``tiers`` (the
        clauses each result holds) comes before any of these: whatever the
        sort, results holding every word come before partial ones."""
        count = len(docnums)
        if start >= count:
            return []
        rows = self.rows(docnums)
        keys = sort_keys(
            sort,
            scores,
            date=lambda: self.sort_date[rows],
            title=lambda: self.title_rank()[rows],
            node_ids=lambda: self.node_ids[rows],
            downloads=downloads,
        )
        order = page_order(keys, docnums, start, stop, tiers)
        with_scores = sort in ("relevance", "downloads")
        return [(int(docnums[i]), float(scores[i]) if with_scores else None) for i in order]
