"""Matching and scoring a query over the whole index at once, with numpy.

Whoosh walks every matching document through a tree of Python matcher objects
and scores it one call at a time: about 30 µs a match, so a broad query over
10,000 resources cost 300 ms (measured, see docs/benchmarks.md). Our queries only ever
combine terms with And, Or and AndMaybe (see query.build_query), so here each
term's posting list is read block by block straight from Whoosh's files into
arrays, scored with the same BM25F formula as Whoosh, and the lists are combined
with sorted-array operations. What this module does not know (a Phrase, for
instance) goes through Whoosh's own matcher, so nothing is lost, only slower.

It assumes Whoosh's default weighting, BM25F, which is what every searcher
SearchIndex opens uses. The sorted arrays of document numbers are global (offset by segment), the
numbers Whoosh's searcher uses, so the permission filter and stored fields work
unchanged.
"""

import threading
from bisect import bisect_right
from math import log

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.query import And, AndMaybe, Or, Term
from whoosh.reading import TermNotFound
from whoosh.util.numeric import _length_byte_cache

from .ranking import Matches, intersect, kept, union

KNOWN_WHOOSH = (2, 7, 4)
_BYTE_TO_LENGTH = np.asarray(_length_byte_cache, dtype=np.float64)
_lengths_cache = {}
_lengths_lock = threading.Lock()


class UnknownCodec(RuntimeError):
    """This engine reads Whoosh 2.7.4's W3 codec files directly."""


def check_codec():
    """Refuse, at start-up, a Whoosh whose on-disk format this engine does not
    know, rather than fall back silently or fail deep inside a query."""
    import whoosh
    from whoosh.codec import default_codec
    from whoosh.codec.whoosh3 import W3Codec

    problems = []
    if tuple(whoosh.__version__[:3]) != KNOWN_WHOOSH:
        problems.append(f"Whoosh {whoosh.versionstring()} est installé")
    if type(default_codec()) is not W3Codec:
        problems.append(f"son codec par défaut est {type(default_codec()).__name__}")
    missing = [
        name
        for name in ("_read_data", "_goto", "skip_to", "weight", "is_active", "id")
        if not hasattr(W3LeafMatcher, name)
    ]
    if missing:
        problems.append(f"W3LeafMatcher n'a pas {', '.join(missing)}")
    from whoosh.codec import whoosh3

    if not hasattr(whoosh3, "LENGTHS_COLUMN") or not callable(_lenfield):
        problems.append("la colonne des longueurs a changé")
    if problems:
        raise UnknownCodec(
            "Le moteur de recherche lit directement les fichiers du codec W3 de Whoosh "
            f"{'.'.join(map(str, KNOWN_WHOOSH))} ; or " + ", ".join(problems) + ". Installez Whoosh==2.7.4 "
            "(pip install -e . le fait) : Whoosh-Reloaded 2.7.5 a deux régressions connues (SEARCH_NOTES)."
        )


class PostingCache:
    """Decoded posting lists of the terms used lately, per segment, up to a size
    in bytes (least recently used first out), and the terms' infos (up to
    ``max_infos``, all dropped when full). Segments never change once
    written, so an entry is never stale; the words of real queries repeat a lot
    (bassin, minier, patrimoine...), and reading a long list is the main cost of
    a query; looking a term up in a segment's hash file, a third of the rest
    (measured on the demo)."""

    def __init__(self, max_bytes=64 * 2**20, max_infos=200_000):
        from collections import OrderedDict

        self.max_bytes = max_bytes
        self.max_infos = max_infos
        self.size = 0
        self._entries = OrderedDict()
        self._infos = {}
        self._lock = threading.Lock()

    def term_info(self, reader, key):
        """The info of the term ``key`` (segment id, field name, bytes) in this
        segment's reader, None if the segment does not hold it."""
        found = self._infos.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            try:
                found = reader._terms.term_info(key[1], key[2])
            except TermNotFound:
                found = None
            with self._lock:
                if len(self._infos) >= self.max_infos:
                    self._infos.clear()
                self._infos[key] = found
        return found

    def get(self, key):
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key, value):
        ids, weights = value
        size = ids.nbytes + weights.nbytes
        if size > self.max_bytes // 4:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = value
            self.size += size
            while self.size > self.max_bytes:
                _key, (old_ids, old_weights) = self._entries.popitem(last=False)
                self.size -= old_ids.nbytes + old_weights.nbytes

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._infos.clear()
            self.size = 0


_UNKNOWN = object()
postings_cache = PostingCache()


def evaluate(searcher, query, within=None):
    """Matches of ``query`` over the whole index (deleted documents excluded),
    or only among ``within`` (a sorted array of document numbers) when given:
    then long posting lists are skipped through rather than read whole."""
    if isinstance(query, Term):
        found = _term(searcher, query.fieldname, query.text, within)
    elif isinstance(query, And):
        parts = sorted((evaluate(searcher, q, within) for q in query.subqueries), key=len)
        found = parts[0]
        for part in parts[1:]:
            if not len(found):
                break
            found = intersect(found, part)
    elif isinstance(query, Or) and not query.minmatch and query.scale is None:
        found = union([evaluate(searcher, q, within) for q in query.subqueries])
    elif isinstance(query, AndMaybe):
        required = evaluate(searcher, query.a, within)
        optional = evaluate(searcher, query.b, required.ids) if len(required) else Matches()
        scores = required.scores.copy()
        _common, in_required, in_optional = np.intersect1d(
            required.ids, optional.ids, assume_unique=True, return_indices=True
        )
        scores[in_required] += optional.scores[in_optional]
        found = Matches(required.ids, scores)
    else:
        found = _with_whoosh(searcher, query)
        if within is not None:
            found = found.restrict(within)
    if query.boost != 1.0 and len(found):
        found = Matches(found.ids, found.scores * query.boost)
    return found


def _with_whoosh(searcher, query):
    """Whoosh's own matcher, for the query types not handled above."""
    ids, scores = [], []
    matcher = query.matcher(searcher)
    while matcher.is_active():
        ids.append(matcher.id())
        scores.append(matcher.score())
        matcher.next()
    if not ids:
        return Matches()
    ids, scores = np.asarray(ids, dtype=np.int64), np.asarray(scores, dtype=np.float64)
    order = np.argsort(ids, kind="stable")
    return Matches(ids[order], scores[order])


def _term(searcher, fieldname, text, within=None):
    """One term over every segment, scored with BM25F exactly as Whoosh's
    BM25FScorer does: idf and average length are index-wide statistics. The
    term is looked up once per segment (Whoosh's own calls look it up three
    times)."""
    field = searcher.schema[fieldname]
    try:
        tbytes = field.to_bytes(text)
    except (ValueError, TypeError):
        return Matches()
    segments, frequency = [], 0
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if not hasattr(reader, "_terms"):  # an index with no segment yet (EmptyReader)
            continue
        key = (reader.segment().segment_id(), fieldname, tbytes)
        info = postings_cache.term_info(reader, key)
        if info is None:
            continue
        segments.append((reader, offset, info, key))
        frequency += info.doc_frequency()
    if not segments:
        return Matches()
    if field.scorable:
        weighting = searcher.weighting
        idf = log(searcher.doc_count_all() / (frequency + 1)) + 1
        avgfl = searcher.avg_field_length(fieldname) or 1
        B = weighting._field_B.get(fieldname, weighting.B)
        K1 = weighting.K1
    all_ids, all_scores = [], []
    for reader, offset, info, key in segments:
        local = None
        if within is not None:
            local = within[(within >= offset) & (within < offset + reader.doc_count_all())] - offset
            if not len(local):
                continue
        cached = postings_cache.get(key)
        if cached is not None:
            ids, weights = cached
            if local is not None:
                keep = kept(ids, local)
                ids, weights = ids[keep], weights[keep]
        else:
            matcher = reader._codec.postings_reader(
                reader._terms._postfile, info, field.format, term=(fieldname, tbytes)
            )
            if _skips(local, info.doc_frequency()):
                ids, weights = _postings(matcher, local, info.doc_frequency())
            else:  # the whole list is read anyway: kept for the next query
                ids, weights = _postings(matcher, None, info.doc_frequency())
                postings_cache.put(key, (ids, weights))
                if local is not None:
                    keep = kept(ids, local)
                    ids, weights = ids[keep], weights[keep]
        if reader.has_deletions():
            keep = ~np.isin(ids, np.fromiter(reader._perdoc.deleted_docs(), dtype=np.int64))
            ids, weights = ids[keep], weights[keep]
        if field.scorable:
            lengths = _lengths(reader, fieldname)[ids]
            scores = idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / avgfl)))
        else:
            scores = weights
        all_ids.append(ids + offset)
        all_scores.append(scores)
    if not all_ids:
        return Matches()
    if len(all_ids) == 1:
        return Matches(all_ids[0], all_scores[0])
    return Matches(np.concatenate(all_ids), np.concatenate(all_scores))  # segments are in order


def _skips(local, frequency):
    """Whether only ``local``'s postings are read, skipping through a list
    more than eight times as long, rather than the whole list."""
    return local is not None and len(local) * 8 < frequency


def _postings(matcher, local, frequency):
    """(local ids, weights) of one term in one segment: the whole list, read
    block by block, or, when only a few documents (``local``) are wanted from
    a long list (``_skips``), theirs, by skipping to each of them."""
    if _skips(local, frequency):
        ids, weights = [], []
        for docnum in local.tolist():
            if not matcher.is_active():
                break
            matcher.skip_to(docnum)
            if matcher.is_active() and matcher.id() == docnum:
                ids.append(docnum)
                weights.append(matcher.weight())
        return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64)
    if not isinstance(matcher, W3LeafMatcher) or matcher._byteids:
        ids, weights = [], []  # postings inlined in the term info (one document)
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        ids, weights = np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64)
    else:
        id_blocks, weight_blocks = [], []
        while True:
            matcher._read_data()
            raw_ids, raw_weights = matcher._data[0], matcher._data[1]
            count = matcher._blocklength
            id_blocks.append(np.cumsum(np.asarray(raw_ids, dtype=np.int64)))  # stored as deltas
            if raw_weights is None:
                weight_blocks.append(np.ones(count))
            elif isinstance(raw_weights, float):
                weight_blocks.append(np.full(count, raw_weights))
            else:
                weight_blocks.append(np.asarray(raw_weights, dtype=np.float64))
            if matcher._lastblock:
                break
            matcher._goto(matcher._nextoffset)
        ids, weights = np.concatenate(id_blocks), np.concatenate(weight_blocks)
    return ids, weights


def _lengths(reader, fieldname):
    """The field's length in every document of a segment, from Whoosh's one-byte
    length column, cached per segment (segments never change, only their
    deletions, which do not touch lengths)."""
    key = (reader.segment().segment_id(), fieldname)
    with _lengths_lock:
        found = _lengths_cache.get(key)
    if found is not None:
        return found
    doccount = reader.doc_count_all()
    column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    raw = np.zeros(doccount, dtype=np.uint8)
    if column is not None and column._count:
        count = min(column._count, doccount)
        raw[:count] = np.frombuffer(column._dbfile.get(column._basepos, count), dtype=np.uint8)
    lengths = _BYTE_TO_LENGTH[raw]
    with _lengths_lock:
        if len(_lengths_cache) > 2000:
            _lengths_cache.clear()
        _lengths_cache[key] = lengths
    return lengths


class StoredFieldsCache:
    """Documents' stored fields (a page's text: unpickled and decompressed,
    a tenth of a search page's time under load, measured), by segment and
    document number, up to a size in characters of text (least recently
    read first out). A segment's stored fields never change, so an entry is
    never stale; the pages shown recur from query to query. The dicts given
    are shared: read them, never change them."""

    def __init__(self, max_chars=16 * 2**20):
        from collections import OrderedDict

        self.max_chars = max_chars
        self.size = 0
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def read(self, searcher, docnums):
        """The stored fields of the documents ``docnums`` (global numbers, as
        evaluate gives them), in that order."""
        leaves = [(offset, sub.reader()) for sub, offset in searcher.leaf_searchers()]
        starts = [offset for offset, _reader in leaves]
        out = []
        for docnum in docnums:
            offset, reader = leaves[bisect_right(starts, docnum) - 1]
            key = (reader.segment().segment_id(), docnum - offset) if hasattr(reader, "segment") else None
            with self._lock:
                found = self._entries.get(key) if key is not None else None
                if found is not None:
                    self._entries.move_to_end(key)
            if found is None:
                found = reader.stored_fields(docnum - offset)
                if key is not None:
                    self._keep(key, found)
            out.append(found)
        return out

    def _keep(self, key, fields):
        size = sum(len(value) for value in fields.values() if isinstance(value, str)) + 100
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = fields
            self.size += size
            while self.size > self.max_chars:
                _key, old = self._entries.popitem(last=False)
                self.size -= sum(len(value) for value in old.values() if isinstance(value, str)) + 100

    def clear(self):
        with self._lock:
            self._entries.clear()
            self.size = 0


stored_fields_cache = StoredFieldsCache()
