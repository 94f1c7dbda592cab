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
  or typographic apostrophe).
"""

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

# Runs of digits, or runs of letters possibly joined by apostrophes (l'inscription,
# aujourd'hui): never digits and letters in one token.
TOKEN_PATTERN = r"\d+|[^\W\d_]+(?:['’][^\W\d_]+)*"

# Whoosh's accent_map leaves the ligatures: "Cœur d'Ostrevent" must meet "coeur".
FOLDING_MAP = dict(accent_map)
FOLDING_MAP.update({ord("œ"): "oe", ord("Œ"): "oe", ord("æ"): "ae", ord("Æ"): "ae"})

ELISIONS = frozenset({"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"})


class ElisionFilter(Filter):
    """l'inscription → inscription, qu'un → un, aujourd'hui stays."""

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            for apostrophe in ("'", "’"):
                head, sep, tail = text.partition(apostrophe)
                if sep and tail and head in ELISIONS:
                    text = tail
                    break
            token.text = text.replace("’", "'")
            yield token


FRENCH_STOPWORDS = frozenset(fold(w) for w in stopwords_for_language("fr")) - {
    # Keep words that matter in the agency's names and queries.
    "pas",
}


def _chain(stem):
    chain = (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | ElisionFilter()
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
