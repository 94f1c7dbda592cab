"""The snippet of a page: the fragment around the query's words, as the
French analyser reads them, the same from one request to the next, and the
fragments Whoosh's highlighter would cut."""

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import highlight

from bassin_cms.search.analysis import WordCachedAnalyzer, french_analyzer, tokens
from bassin_cms.search.highlighting import MAXCHARS, SURROUND, formatted, fragments, snippet

FR = french_analyzer()
BY_WORD = WordCachedAnalyzer(FR)
FILLER = "Le bassin minier du Nord et du Pas-de-Calais compte des terrils et des chevalements. " * 8


def shown(text, query):
    return snippet(text, tokens(FR, query), BY_WORD)


def test_a_word_whose_stem_does_not_begin_it_is_found_far_into_a_page():
    """ "régionaux" gives the stem "regional" without beginning with it, and
    "régionalisation" begins with it without giving it: the page's only
    match is shown, not an empty snippet around the look-alike."""
    text = "Histoire de la régionalisation. " + FILLER + "Les parcs régionaux du bassin minier."
    assert "<mark>régionaux</mark>" in shown(text, "régional")


def test_of_fragments_scored_alike_the_first_is_shown_every_time():
    text = "Première mention du terril ici. " + FILLER + "Seconde mention du terril là-bas. " + FILLER
    seen = {shown(text, "terril") for _ in range(50)}
    assert len(seen) == 1
    (only,) = seen
    assert "Première mention du <mark>terril</mark>" in only and "Seconde" not in only


def test_a_page_without_the_words_shows_nothing_and_one_with_them_says_where_it_was_cut():
    assert shown(FILLER, "zorglub") == ""
    cut = shown(FILLER + "Au centre, la cité des électriciens <b>. " + FILLER, "cités")
    assert cut.startswith("… ") and cut.endswith(" …") and "<mark>cité</mark>" in cut
    assert "&lt;b&gt;" in cut and "<b>" not in cut


WORDS = st.sampled_from(
    "terril terrils cité cités minière le la des l'harmonie d'écoles 74a 23 000 chevalement Lens-Liévin".split()
    + ["de", "et", "patrimoine", "mondial", "UNESCO", "<b>", "Cœur", "a", "&"]
)


@settings(max_examples=300)
@given(st.data(), st.lists(WORDS, min_size=1, max_size=3), st.sampled_from([" ", "\n", ", "]))
def test_the_fragments_are_whooshs_and_the_best_is_its_best(data, query, separator):
    """Oracle: Whoosh's ContextFragmenter over the chain's tokens cuts the
    same fragments (long runs of matched words too), its BasicFragmentScorer
    ranks them alike, and its HtmlFormatter marks the same words (the
    tie-break aside)."""
    text = separator.join(data.draw(st.lists(st.sampled_from(query) | WORDS, min_size=40, max_size=150)))
    terms = frozenset(tokens(FR, " ".join(query)))
    marked = highlight.set_matched_filter(FR(text, chars=True, mode="query", removestops=False), terms)
    theirs = list(highlight.ContextFragmenter(maxchars=MAXCHARS, surround=SURROUND).fragment_tokens(text, marked))
    starts, ends, matched = BY_WORD.offsets(text, terms)
    ours = list(fragments(starts, ends, matched, MAXCHARS, SURROUND))
    assert [(f.startchar, f.endchar, [(t.startchar, t.endchar) for t in f.matches]) for f in theirs] == [
        (first if first is not None else (starts[hits[0]] if hits else 0), end, [(starts[i], ends[i]) for i in hits])
        for first, end, hits in ours
    ]
    scorer = highlight.BasicFragmentScorer()
    scores = [scorer(f) for f in theirs]
    for fragment, theirs_one, score in zip(ours, theirs, scores, strict=True):
        assert len(fragment[2]) * len({matched[i] for i in fragment[2]}) * 100 == score
        if score:
            html = highlight.HtmlFormatter(tagname="mark").format_fragment(theirs_one)
            assert formatted(text, fragment, starts, ends).count("<mark>") == html.count("<mark")
