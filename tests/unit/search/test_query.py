"""query.build_query: what a typed query means (clauses, synonyms, weights),
and the analysis rules people's typing needs; no live site."""

import pytest
from whoosh.query import Term

from bassin_cms.search.analysis import edit_distance, exact_analyzer, french_analyzer, spellings, tokens
from bassin_cms.search.query import Thesaurus, build_query, elided, name_key, split_query


class Term_:
    def __init__(self, *names):
        self.names = names

    def search_names(self):
        return [n for n in self.names if n]


THESAURUS = Thesaurus(
    [
        Term_("plan local d'urbanisme", "PLU"),
        Term_("porter à connaissance", "PAC", "", "porté à connaissance"),
        Term_("Terrils", "", "Slag heaps"),
        Term_("exposition", "", "", "expo"),
    ]
)


def terms(tree):
    return {(t.fieldname, t.text, round(t.boost, 4)) for t in tree.leaves() if isinstance(t, Term)} if tree else set()


def test_one_clause_per_word_and_phrase_with_what_is_required():
    query = build_query('+ERBM rénovation "cités minières" des', THESAURUS)
    assert [(c.text, c.required, c.phrase) for c in query.clauses] == [
        ("ERBM", True, False),
        ("rénovation", False, False),
        ("« cités minières »", True, True),
    ]
    assert split_query("logements 23 000 «") == (["logements", "23000", "«"], [], set())
    assert build_query("de la et", THESAURUS) is None


def test_a_synonym_widens_with_a_lower_weight_and_never_replaces():
    plu = build_query("PLU", THESAURUS).clauses[0]
    notice = terms(plu.parts.notice)
    assert ("text", "plu", 1.0) in notice  # the word as typed
    literal = {f: b for f, t, b in notice if t == "plu"}
    synonyms = {f: b for f, t, b in notice if t in ("plan local", "local urbanisme")}
    # A name of several words weighs as one word (its pairs share the synonym
    # weight), below the word typed where each is found: text, title.
    assert synonyms["pairs"] == pytest.approx(2.0 * 0.5 / 2) and synonyms["pairs"] < literal["text"]
    assert synonyms["title_pairs"] == pytest.approx(6.0 * 0.5 / 2)
    assert synonyms["title_pairs"] < literal["title_exact"]


def test_a_run_of_words_that_is_a_name_adds_its_other_names_to_each_word():
    query = build_query("porter a connaissance", THESAURUS)
    assert [c.text for c in query.clauses] == ["porter", "connaissance"]
    for clause in query.clauses:
        assert any(t[1] == "pac" for t in terms(clause.parts.notice))


def test_english_labels_and_everyday_forms_are_synonyms():
    assert "Terrils" in THESAURUS.alternatives("slag heaps")
    assert "exposition" in THESAURUS.alternatives("Expo")
    assert name_key("Porter-à-Connaissance") == name_key("porter a connaissance")


def test_typed_words_side_by_side_give_a_proximity_bonus_only_between_neighbours():
    query = build_query("cite des electriciens", THESAURUS)
    assert [p.between for p in query.proximity] == [(0, 1)]
    assert ("pairs", "cite electriciens", 1.0) in terms(query.proximity[0].notice)


def test_notice_people_and_full_text_are_apart():
    clause = build_query("terril", THESAURUS).clauses[0]
    assert {f for f, _t, _b in terms(clause.parts.notice)} == {"text", "title", "title_exact"}
    assert {f for f, _t, _b in terms(clause.parts.people)} == {"people"}
    assert {f for f, _t, _b in terms(clause.parts.full)} == {"full"}


@pytest.mark.parametrize(
    "typed, expected",
    [("jai", "ai"), ("lharmonie", "harmonie"), ("quil", "il"), ("dinscription", "inscription"), ("l", None)],
)
def test_an_elision_typed_without_its_apostrophe(typed, expected):
    assert elided(typed) == expected


def test_the_analysis_reads_digit_groups_and_the_review_s_name():
    french, exact = french_analyzer(), exact_analyzer()
    assert tokens(exact, "23 000 logements") == tokens(exact, "23000 logements") == ["23000", "logements"]
    assert tokens(exact, "en 2015 353 éléments") == ["2015", "353", "elements"]  # a year is not a group
    assert tokens(french, "la revue D'A") == ["revu", "d'a"]
    assert tokens(french, "l'a dit") == ["dit"]  # a lower-case elision is still one


def test_spellings_and_distances_for_did_you_mean():
    assert spellings("Rénovation des cités minières, l’Église") == {
        "renovation": "rénovation",
        "cites": "cités",
        "minieres": "minières",
        "eglise": "église",
    }
    assert edit_distance("mondail", "mondial") == 1  # two neighbours swapped
    assert edit_distance("logments", "logements") == 1 and edit_distance("blanc", "bilan") == 2
