"""The snippet of a page: the fragment around the query's words, as the
French analyser reads them, the same from one request to the next."""

from whoosh import highlight

from bassin_cms.search.analysis import french_analyzer, tokens
from bassin_cms.search.services import _EscapingFormatter, _highlighted

FR = french_analyzer()
FILLER = "Le bassin minier du Nord et du Pas-de-Calais compte des terrils et des chevalements. " * 8


def snippet(text, query):
    fragmenter = highlight.ContextFragmenter(maxchars=220, surround=60)
    return _highlighted(text, tokens(FR, query), fragmenter, _EscapingFormatter())


def test_a_word_whose_stem_does_not_begin_it_is_found_far_into_a_page():
    """ "régionaux" gives the stem "regional" without beginning with it, and
    "régionalisation" begins with it without giving it: the page's only
    match is shown, not an empty snippet around the look-alike."""
    text = "Histoire de la régionalisation. " + FILLER + "Les parcs régionaux du bassin minier."
    assert "<mark>régionaux</mark>" in snippet(text, "régional")


def test_of_fragments_scored_alike_the_first_is_shown_every_time():
    text = "Première mention du terril ici. " + FILLER + "Seconde mention du terril là-bas. " + FILLER
    shown = {snippet(text, "terril") for _ in range(50)}
    assert len(shown) == 1
    (only,) = shown
    assert "Première mention du <mark>terril</mark>" in only and "Seconde" not in only


def test_a_page_without_the_words_shows_nothing_and_one_with_them_says_where_it_was_cut():
    assert snippet(FILLER, "zorglub") == ""
    shown = snippet(FILLER + "Au centre, la cité des électriciens. " + FILLER, "cités")
    assert shown.startswith("… ") and shown.endswith(" …") and "<mark>cité</mark>" in shown
