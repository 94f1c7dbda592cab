"""The French analysis chain on its own."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bassin_cms.search.analysis import ElisionFilter, WordCachedAnalyzer, exact_analyzer, french_analyzer, tokens

FR = french_analyzer()
EXACT = exact_analyzer()


def same(a, b, analyzer=FR):
    return tokens(analyzer, a) == tokens(analyzer, b)


@pytest.mark.parametrize(
    "typed, written",
    [
        ("cite des electriciens", "Cité des Électriciens"),
        ("porte a connaissance", "porter à connaissance"),
        ("terrils", "terril"),
        ("patrimoine mondial", "Patrimoine Mondial"),
        ("coeur d'ostrevent", "Cœur d’Ostrevent"),
        ("annay sous lens", "Annay-sous-Lens"),
        ("fresnes sur escaut", "Fresnes-sur-Escaut"),
        ("13 bis", "13bis"),
        ("terril 74a", "terril 74 A"),
        ("inscription", "l'inscription"),
        ("evaluation", "l’évaluation"),
        ("electricien", "électriciens"),
    ],
)
def test_what_is_typed_meets_what_is_written(typed, written):
    assert same(typed, written), (tokens(FR, typed), tokens(FR, written))


def test_two_letter_tokens_and_acronyms_are_kept():
    assert tokens(EXACT, "PLU VUE ERBM TVB OT 59") == ["plu", "vue", "erbm", "tvb", "ot", "59"]
    # The stemmer may shorten an acronym, the same way at index and query time.
    assert same("VUE", "vue") and len(tokens(FR, "PLU VUE ERBM TVB OT 59")) == 6


def test_elisions_are_removed_but_not_inside_words():
    assert tokens(EXACT, "l'inscription d'un terril qu'il jusqu'à aujourd'hui") == [
        "inscription",
        "terril",
        "aujourd'hui",
    ]


def test_stop_words_go_accents_fold_before_them():
    assert tokens(EXACT, "à la Cité et à côté") == ["cite", "cote"]


def test_exact_analyzer_does_not_stem():
    assert tokens(EXACT, "électriciens") == ["electriciens"]
    assert tokens(FR, "électriciens") != tokens(EXACT, "électriciens")


def test_positions_follow_each_other_for_phrases():
    positions = [t.pos for t in FR("Annay-sous-Lens", positions=True)]
    assert positions == list(range(len(positions)))


def test_elision_filter_alone():
    class Token:
        def __init__(self, text):
            self.text = text

    out = [t.text for t in ElisionFilter()(iter([Token("qu'un"), Token("s’est"), Token("aujourd'hui")]))]
    assert out == ["un", "est", "aujourd'hui"]


@given(st.text(max_size=200))
def test_any_text_analyses_without_error(text):
    for token in tokens(FR, text):
        assert token and token == token.lower()


def test_thesaurus_from_the_vocabularies(dbsession):
    from sqlalchemy import select

    from bassin_cms.content.models import Term
    from bassin_cms.search.services import Thesaurus

    thesaurus = Thesaurus(dbsession.scalars(select(Term)))
    assert "Engagement pour le Renouveau du Bassin Minier" in thesaurus.alternatives("erbm")
    assert "architecte des bâtiments de France" in thesaurus.alternatives("ABF")
    assert "CABBALR" in thesaurus.alternatives("Artois Comm")
    assert "STAP" in thesaurus.alternatives("udap")


FRENCH_TEXT = st.text(
    alphabet=st.sampled_from(list("aàâbcçdeéèêfghiîjklmnoôpqrstuùvwxyzœ AÉDLS0123456789'’-.,;\u00a0\u202f\n")),
    max_size=300,
) | st.sampled_from(
    [
        "L'harmonie d'écoles jusqu'à 23 000 habitants : D'A, n°74a et 13-bis.",
        "Qu'un chevalement s’est tu ; aujourd'hui les cités minières d'Oignies.",
    ]
)


@given(FRENCH_TEXT)
def test_the_word_cached_analyzer_gives_the_chains_tokens(text):
    """The snippets' analyser, a word at a time with each word kept, gives
    the tokens of the chain itself, stop words included, with their offsets."""
    for chain in (FR, exact_analyzer()):
        expected = [(t.text, t.startchar, t.endchar) for t in chain(text, chars=True, mode="query", removestops=False)]
        starts, ends, matched = WordCachedAnalyzer(chain).offsets(text, frozenset(t for t, _s, _e in expected))
        assert list(zip(matched, starts, ends, strict=True)) == expected


@given(FRENCH_TEXT, st.integers(min_value=0, max_value=5))
def test_the_word_cached_analyzer_marks_and_finds_the_words_of_a_query(text, pick):
    """The offsets of every token, each marked with its text where it is one
    of the query's, and the first such word found where the chain puts it."""
    chain = [(t.text, t.startchar, t.endchar) for t in FR(text, chars=True, mode="query", removestops=False)]
    terms = frozenset(text for text, _start, _end in chain[pick : pick + 2])
    cached = WordCachedAnalyzer(FR)
    starts, ends, matched = cached.offsets(text, terms)
    assert list(zip(starts, ends, matched, strict=True)) == [
        (start, end, text if text in terms else None) for text, start, end in chain
    ]
    assert cached.first_match(text, terms) == next((start for text, start, _end in chain if text in terms), None)
