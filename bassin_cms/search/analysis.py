"""The French analysis chain, the same at index and at query time.

tokenize → lower case → remove elisions → fold accents → French stop words →
Snowball stemming (the stemmed analyzer only).

- The tokenizer keeps two-letter tokens (PLU, VUE, UDAP are longer, but "PC",
  "OT", "59") and splits digits from letters, so "13bis", "13 bis" and "13-bis"
  give the same tokens ("13", "bis"), and so do "terril 74a" and "terril 74 a".
- Hyphenated place names are split on hyphens: "Annay-sous-Lens" and
  "annay sous lens" give the same tokens in the same order (phrases match).
- Accents are folded before the stop list and the stemmer: SEARCH_NOTES measured
  that folding after the French stemmer loses 23 % of accented words typed
  without accents.
- Whoosh has no elision filter: ElisionFilter removes l', d', qu', j'... (straight
  or typographic apostrophe), except before a lone capital, which is a name:
  the review *D'A* stays "d'a" (and is not the stop word "a").
- Digit groups are one number: "23 000" (space, no-break or narrow no-break
  space between groups of three) is the token "23000", as people type it.
"""

import re

from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    ShingleFilter,
    StemFilter,
    StopFilter,
)
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map

from bassin_cms.content.text import fold

# A number written in groups of three ("23 000"), runs of digits, or runs of
# letters possibly joined by apostrophes (l'inscription, aujourd'hui): never
# digits and letters in one token.
DIGIT_GROUP_SEPARATORS = " \u00a0\u202f"
TOKEN_PATTERN = rf"(?<!\d)\d{{1,3}}(?:[{DIGIT_GROUP_SEPARATORS}]\d{{3}})+(?!\d)|\d+|[^\W\d_]+(?:['’][^\W\d_]+)*"

# Whoosh's accent_map leaves the ligatures: "Cœur d'Ostrevent" must meet "coeur".
FOLDING_MAP = dict(accent_map)
FOLDING_MAP.update({ord("œ"): "oe", ord("Œ"): "oe", ord("æ"): "ae", ord("Æ"): "ae"})

ELISIONS = frozenset({"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"})


def strip_elision(text):
    """l'inscription → inscription, qu'un → un, aujourd'hui stays; an elision
    before a lone capital is a name and stays (D'A)."""
    for apostrophe in ("'", "’"):
        head, sep, tail = text.partition(apostrophe)
        if sep and tail and head.lower() in ELISIONS:
            if len(tail) == 1 and tail.isupper():
                break
            text = tail
            break
    return text.replace("’", "'")


class ElisionFilter(Filter):
    """strip_elision on each token (before lower case: D'A is a name)."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = strip_elision(token.text)
            yield token


class DigitGroupFilter(Filter):
    """ "23 000" → "23000"."""

    def __call__(self, tokens):
        for token in tokens:
            if token.text[:1].isdigit():
                token.text = "".join(c for c in token.text if c not in DIGIT_GROUP_SEPARATORS)
            yield token


FRENCH_STOPWORDS = frozenset(fold(w) for w in stopwords_for_language("fr")) - {
    # Keep words that matter in the agency's names and queries.
    "pas",
}


def _chain(stem):
    chain = (
        RegexTokenizer(TOKEN_PATTERN)
        | DigitGroupFilter()
        | ElisionFilter()
        | LowercaseFilter()
        | CharsetFilter(FOLDING_MAP)
        | StopFilter(stoplist=FRENCH_STOPWORDS, minsize=1)
    )
    if stem:
        chain = chain | StemFilter(lang="fr", cachesize=50000)
    return chain


def french_analyzer():
    """Stemmed: singular and plural, verb forms, accents all meet."""
    return _chain(stem=True)


def exact_analyzer():
    """Unstemmed, for exact words and phrases (boosted above stemmed matches)."""
    return _chain(stem=False)


def pairs_analyzer():
    """Consecutive word pairs ("bassin minier"): a phrase becomes an AND of pair
    terms, looked up like words, instead of Whoosh's position-by-position phrase
    matching (200 ms for "bassin minier" on 1,000 resources, measured)."""
    return _chain(stem=False) | ShingleFilter(size=2, sep=" ")


def tokens(analyzer, text):
    return [t.text for t in analyzer(text)]


_TOKEN_RE = re.compile(TOKEN_PATTERN)


def spellings(text):
    """{folded word: its spelling} of the words of ``text`` whose spelling has
    accents or ligatures (the others are spelt as folded): "did you mean"
    shows a correction as people write it, never folded nor stemmed."""
    out = {}
    for match in _TOKEN_RE.finditer(text or ""):
        word = match.group()
        if word[0].isdigit():
            continue
        surface = strip_elision(word).lower()
        folded = fold(surface)
        if folded != surface and folded not in FRENCH_STOPWORDS and "," not in surface and "=" not in surface:
            out.setdefault(folded, surface)
    return out


def edit_distance(a, b):
    """Edits (insert, delete, replace, swap two neighbours) from ``a`` to ``b``:
    spelling candidates are ranked by it, then by how common they are."""
    previous, current = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, previous, current = previous, current, [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
    return current[len(b)]


def correction_distance(word):
    """The most edits a spelling correction of ``word`` may make: one for
    words of up to six letters (a swap of two neighbours is one), two above
    ("blanc" is not a typo of "bilan")."""
    return 1 if len(word) <= 6 else 2


_UNKNOWN = object()


class WordCachedAnalyzer:
    """``analyzer`` (one of this module's chains) a word at a time, each
    word's result kept: the same tokens, since every filter of the chains
    works on one token at a time. For the snippets (search/highlighting.py),
    which read every word of a page's window again (about 1 ms a page through
    the chain, measured; the words of pages recur from one query to the
    next): where the query's first word is, and the tokens' offsets."""

    def __init__(self, analyzer, size=200_000):
        self.analyzer = analyzer
        self.size = size
        # A plain dict read with .get in the loops (an lru_cache call costs
        # as much as the rest of a word's work there), emptied when full.
        self.words = {}

    def word(self, word):
        """(text, stopped) of the one token ``word`` gives, or None."""
        analysed = self.words.get(word, _UNKNOWN)
        if analysed is _UNKNOWN:
            out = [(t.text, t.stopped) for t in self.analyzer(word, mode="query", removestops=False)]
            analysed = out[0] if len(out) == 1 else None
            if len(self.words) >= self.size:
                self.words.clear()
            self.words[word] = analysed
        return analysed

    def first_match(self, value, terms):
        """Where the first word of ``value`` that gives one of ``terms``
        begins, or None."""
        known, word = self.words, self.word
        for match in _TOKEN_RE.finditer(value):
            analysed = known.get(match.group(), _UNKNOWN)
            if analysed is _UNKNOWN:
                analysed = word(match.group())
            if analysed is None:
                if any(t.text in terms for t in self.analyzer(match.group(), mode="query", removestops=False)):
                    return match.start()
            elif analysed[0] in terms:
                return match.start()
        return None

    def offsets(self, value, terms):
        """(starts, ends, matched) of the tokens of ``value``, stop words
        included, as lists: matched holds the token's text where it is one
        of ``terms``, else None (for the snippets' fragments)."""
        known, word, starts, ends, matched = self.words, self.word, [], [], []
        for match in _TOKEN_RE.finditer(value):
            analysed = known.get(match.group(), _UNKNOWN)
            if analysed is _UNKNOWN:
                analysed = word(match.group())
            if analysed is None:  # not one token alone: the whole chain on this word
                for token in self.analyzer(
                    match.group(), chars=True, mode="query", removestops=False, start_char=match.start()
                ):
                    starts.append(token.startchar)
                    ends.append(token.endchar)
                    matched.append(token.text if token.text in terms else None)
                continue
            starts.append(match.start())
            ends.append(match.end())
            matched.append(analysed[0] if analysed[0] in terms else None)
        return starts, ends, matched
