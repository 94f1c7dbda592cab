"""Partial matches ranked, for every backend: coordination, then score.

A backend hands over, for each clause of the query (query.py), the resource
documents that hold it with their scores, already restricted to what the
person may find (the notice for whoever may open the page, the full text for
whoever may read it) and to the filters. Here, written once:

- a result must hold every required clause ("quoted phrase", +word), and at
  least ``minimum_should_match`` of the clauses, or, when no document holds
  that many, as many as the best document holds: a query of which one word
  matches never answers nothing;
- results holding more clauses come first; among those holding as many, the
  higher score (the sum of the clauses' scores and of the proximity bonus). A
  clause held only in the full text (files, chapters) or among the people
  (partners, contributors) counts for less than one held in the notice
  (query.Weights.full_hold, people_hold): words scattered over a 200-page
  report, or a partner's name, do not outrank a title and summary that hold
  all but one of the words;
- each result knows which clauses it lacks ("Manque : expo").
"""

from dataclasses import dataclass, field

import numpy as np

_EMPTY_IDS = np.empty(0, dtype=np.int64)
_EMPTY_SCORES = np.empty(0, dtype=np.float64)


class Matches:
    """Sorted unique document numbers with their scores."""

    __slots__ = ("ids", "scores")

    def __init__(self, ids=_EMPTY_IDS, scores=_EMPTY_SCORES):
        self.ids, self.scores = ids, scores

    def __len__(self):
        return len(self.ids)

    def restrict(self, allowed):
        """Only the documents in ``allowed`` (a sorted array)."""
        keep = kept(self.ids, allowed)
        return Matches(self.ids[keep], self.scores[keep])

    def scaled(self, factor):
        return Matches(self.ids, self.scores * factor) if factor != 1.0 and len(self) else self


# Below this length, a binary search of the shorter array in the longer one
# beats np.isin, whose own work before it starts costs ~12 us (about 40 calls
# a search page of the demo); for two long arrays np.isin is faster (50,000 in
# 100,000: 0.23 ms against 1.06 ms, measured).
SHORT = 1024


def kept(ids, allowed):
    """The positions in ``ids`` (ascending) of its elements that ``allowed``
    holds too; both sorted, without repeats."""
    if not len(ids) or not len(allowed):
        return _EMPTY_IDS
    if min(len(ids), len(allowed)) > SHORT:
        return np.flatnonzero(np.isin(ids, allowed, assume_unique=True))
    if len(allowed) < len(ids):
        positions = np.minimum(np.searchsorted(ids, allowed), len(ids) - 1)
        return positions[ids[positions] == allowed]
    positions = np.minimum(np.searchsorted(allowed, ids), len(allowed) - 1)
    return np.flatnonzero(allowed[positions] == ids)


def intersect(a, b):
    ids, in_a, in_b = np.intersect1d(a.ids, b.ids, assume_unique=True, return_indices=True)
    return Matches(ids, a.scores[in_a] + b.scores[in_b])


def _dense_bound(arrays):
    """One past the largest document number when the arrays (sorted) cover a
    good part of their range: then a dense array over that range, indexed by
    document number, merges them faster than sorting (5x on broad queries of
    100,000 resources, measured); else None."""
    bound = max(int(a[-1]) for a in arrays) + 1
    return bound if bound <= 16 * sum(len(a) for a in arrays) else None


def union(parts):
    parts = [p for p in parts if p is not None and len(p)]
    if not parts:
        return Matches()
    if len(parts) == 1:
        return parts[0]
    bound = _dense_bound([p.ids for p in parts])
    if bound is not None:
        scores = np.zeros(bound, dtype=np.float64)
        present = np.zeros(bound, dtype=bool)
        for part in parts:
            scores[part.ids] += part.scores  # ids are unique within a part
            present[part.ids] = True
        ids = np.flatnonzero(present)
        return Matches(ids, scores[ids])
    ids, inverse = np.unique(np.concatenate([p.ids for p in parts]), return_inverse=True)
    scores = np.bincount(inverse, weights=np.concatenate([p.scores for p in parts]), minlength=len(ids))
    return Matches(ids, scores)


def minimum_should_match(count):
    """How many of ``count`` clauses a result must hold: all of one or two
    words; of more, all but one in three (3 → 2, 4 → 3, 5 → 4, 6 → 4)."""
    return count - count // 3


@dataclass
class Ranked:
    ids: np.ndarray = field(default_factory=lambda: _EMPTY_IDS)  # sorted document numbers
    scores: np.ndarray = field(default_factory=lambda: _EMPTY_SCORES)
    coordination: np.ndarray = field(default_factory=lambda: _EMPTY_SCORES)  # clauses each holds, weighted
    held: np.ndarray | None = None  # bool [clause, document]
    clause_totals: list = field(default_factory=list)  # documents holding each clause
    complete: int = 0  # documents holding every clause

    def __len__(self):
        return len(self.ids)

    def missing(self, docnums):
        """{docnum: [indexes of the clauses it lacks]} for these documents."""
        if self.held is None or not len(self.ids):
            return {}
        rows = np.searchsorted(self.ids, np.asarray(docnums, dtype=np.int64))
        out = {}
        for docnum, row in zip(docnums, rows.tolist(), strict=False):
            if row < len(self.ids) and self.ids[row] == docnum:
                lacking = np.nonzero(~self.held[:, row])[0].tolist()
                if lacking:
                    out[docnum] = lacking
        return out


def rank(clause_matches, required=(), proximity=(), near_hold=1.0):
    """A Ranked from each clause's matches, [(Matches, strength)] by where they
    were found (the notice 1, people or full text less: query.Weights;
    ``required``: the clauses' flags), and the proximity bonuses, [(Matches,
    (i, j))]: their scores add to what is kept (never a reason to keep), and
    clauses i and j, found side by side, count as held with ``near_hold``."""
    count = len(clause_matches)
    parts = [[(m, w) for m, w in found if m is not None and len(m)] for found in clause_matches]
    totals = [len(union([m for m, _w in found])) for found in parts]
    if not count or not any(totals):
        return Ranked(clause_totals=totals)
    arrays = [m.ids for found in parts for m, _w in found]
    bound = _dense_bound(arrays)
    if bound is not None:
        present = np.zeros(bound, dtype=bool)
        for array in arrays:
            present[array] = True
        ids = np.flatnonzero(present)
    else:
        ids = np.unique(np.concatenate(arrays))
    held = np.zeros((count, len(ids)), dtype=bool)
    strength = np.zeros((count, len(ids)), dtype=np.float64)
    scores = np.zeros(len(ids), dtype=np.float64)
    for row, found in enumerate(parts):
        for matches, weight in found:
            positions = np.searchsorted(ids, matches.ids)
            held[row, positions] = True
            strength[row, positions] = np.maximum(strength[row, positions], weight)
            scores[positions] += matches.scores
    for bonus, (first, second) in proximity:
        if len(bonus):
            positions = np.searchsorted(ids, bonus.ids)
            inside = (positions < len(ids)) & (ids[np.minimum(positions, len(ids) - 1)] == bonus.ids)
            positions = positions[inside]
            for row in (first, second):
                strength[row, positions] = np.maximum(strength[row, positions], near_hold * held[row, positions])
    count_held = held.sum(axis=0)
    coordination = strength.sum(axis=0)
    eligible = np.ones(len(ids), dtype=bool)
    for row, is_required in enumerate(required):
        if is_required:
            eligible &= held[row]
    if not eligible.any():
        return Ranked(clause_totals=totals)
    threshold = min(minimum_should_match(count), int(count_held[eligible].max()))
    keep = eligible & (count_held >= threshold)
    ids, scores, coordination, held = ids[keep], scores[keep], coordination[keep], held[:, keep]
    count_held = count_held[keep]
    for bonus, _between in proximity:
        if len(bonus):
            common, in_ids, in_bonus = np.intersect1d(ids, bonus.ids, assume_unique=True, return_indices=True)
            scores[in_ids] += bonus.scores[in_bonus]
    return Ranked(
        ids=ids,
        scores=scores,
        coordination=coordination,
        held=held,
        clause_totals=totals,
        complete=int((count_held == count).sum()),
    )


def sort_keys(sort, scores, date, title, node_ids, downloads=None):
    """(primary, secondary) sort keys, smallest first, for ``sort``: by score,
    newest first (``date()``: the sortable dates), by title (``title()``: the
    titles' ranks), or most downloaded first (``downloads``: {node id: count},
    ``node_ids()``), ties by score. The columns are functions: only the one
    the sort needs is read."""
    count = len(scores)
    if sort == "downloads":
        counts = downloads or {}
        return -np.fromiter((counts.get(n, 0) for n in node_ids().tolist()), dtype=np.float64, count=count), -scores
    if sort == "date":
        return -np.asarray(date(), dtype=np.float64), np.zeros(count)
    if sort == "title":
        return np.asarray(title(), dtype=np.float64), np.zeros(count)
    return -scores, np.zeros(count)


def page_order(keys, docnums, start, stop, tiers=None):
    """The positions of ranks start..stop by ``keys`` (primary, secondary), then
    document number. ``tiers`` (the clauses each result holds) comes before
    the keys: whatever the sort, results holding every word come first."""
    primary, secondary = keys
    count = len(docnums)
    if start >= count:
        return np.empty(0, dtype=np.int64)
    if tiers is not None and count and tiers.min() != tiers.max():
        # Tiers may be fractions (a word held only in a file counts half): their
        # ranks, not their values, scale the keys so that any tier beats any key.
        levels, level = np.unique(-np.asarray(tiers, dtype=np.float64), return_inverse=True)
        shifted = primary - primary.min()
        primary = level * (shifted.max() + 1.0) + shifted
    stop = min(stop, count)
    if stop < count:
        threshold = np.partition(primary, stop - 1)[stop - 1]
        candidates = np.nonzero(primary <= threshold)[0]
    else:
        candidates = np.arange(count)
    return candidates[np.lexsort((docnums[candidates], secondary[candidates], primary[candidates]))][start:stop]
