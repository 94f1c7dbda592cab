"""ranking.rank: partial matches ranked by coordination, then score, with
no live site: the arrays a backend hands over."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bassin_cms.search.ranking import Matches, kept, minimum_should_match, page_order, rank, sort_keys


def matches(scores):
    """Matches from {document: score}."""
    ids = sorted(scores)
    return Matches(np.asarray(ids, dtype=np.int64), np.asarray([scores[i] for i in ids], dtype=np.float64))


def order(ranked):
    """The documents best first, as a search page shows them."""
    positions = page_order((-ranked.scores, np.zeros(len(ranked))), ranked.ids, 0, 100, ranked.coordination)
    return [int(ranked.ids[i]) for i in positions]


@pytest.mark.parametrize("count, minimum", [(1, 1), (2, 2), (3, 2), (4, 3), (5, 4), (6, 4), (9, 6)])
def test_how_many_words_a_result_must_hold(count, minimum):
    assert minimum_should_match(count) == minimum


def test_a_result_holding_every_word_comes_before_a_better_scored_partial_one():
    ranked = rank(
        [
            [(matches({1: 1.0, 2: 50.0}), 1.0)],  # "expo"
            [(matches({1: 1.0, 3: 9.0}), 1.0)],  # "creux"
            [(matches({1: 1.0, 2: 40.0, 3: 9.0}), 1.0)],  # "crp"
        ]
    )
    assert order(ranked) == [1, 2, 3]
    assert ranked.missing([1, 2, 3]) == {2: [1], 3: [0]}
    assert ranked.complete == 1 and ranked.clause_totals == [2, 2, 3]


def test_when_no_document_holds_enough_words_the_best_ones_still_answer():
    # Two words: both are needed, but no document holds both; each that holds one answers.
    ranked = rank([[(matches({1: 2.0}), 1.0)], [(matches({2: 3.0}), 1.0)]])
    assert order(ranked) == [2, 1] and ranked.complete == 0
    # A word that matches nothing never empties the answer.
    assert order(rank([[(matches({}), 1.0)], [(matches({4: 1.0}), 1.0)]])) == [4]
    assert not len(rank([[(matches({}), 1.0)]]))


def test_three_words_need_two_when_some_document_holds_two():
    ranked = rank([[(matches({1: 1.0, 2: 1.0}), 1.0)], [(matches({1: 1.0}), 1.0)], [(matches({3: 1.0}), 1.0)]])
    assert order(ranked) == [1]  # 2 and 3 hold one word of three


def test_a_required_word_excludes_what_lacks_it():
    ranked = rank([[(matches({1: 1.0, 2: 5.0}), 1.0)], [(matches({3: 1.0}), 1.0)]], required=[False, True])
    assert order(ranked) == [3]  # 2 scores best, but lacks the required word
    assert not len(rank([[(matches({1: 1.0}), 1.0)], [(matches({}), 1.0)]], required=[False, True]))


def test_words_held_only_in_the_full_text_or_among_people_count_for_less():
    ranked = rank(
        [
            [(matches({1: 1.0}), 1.0), (matches({2: 9.0}), 0.5)],  # 1: notice, 2: full text
            [(matches({1: 1.0}), 1.0), (matches({2: 9.0}), 0.5)],
            [(matches({3: 1.0}), 1.0), (matches({2: 9.0}), 0.5)],
        ]
    )
    # 2 holds all three words, but scattered in its file (1.5); 1 holds two in its notice (2.0).
    assert order(ranked) == [1, 2]
    assert ranked.missing([1, 2]) == {1: [2]}


def test_two_typed_words_side_by_side_count_as_held_where_they_are():
    clauses = [
        [(matches({1: 1.0}), 1.0), (matches({2: 0.4}), 0.5)],
        [(matches({1: 1.0}), 1.0), (matches({2: 0.4}), 0.5)],
        [(matches({1: 1.0}), 1.0), (matches({2: 0.4}), 0.5)],
    ]
    scattered = rank(clauses)
    assert order(scattered) == [1, 2]
    near = rank(clauses, proximity=[(matches({2: 0.1}), (0, 1)), (matches({2: 0.1}), (1, 2))])
    assert list(near.coordination) == [3.0, 3.0] and order(near) == [1, 2]  # now equal: by score
    near = rank(clauses, proximity=[(matches({2: 5.0}), (0, 1)), (matches({2: 5.0}), (1, 2))])
    assert order(near) == [2, 1]


def test_sorts_keep_complete_results_first():
    ranked = rank(
        [[(matches({1: 1.0, 2: 1.0}), 1.0)], [(matches({2: 1.0, 3: 1.0}), 1.0)], [(matches({1: 1, 2: 1, 3: 1}), 1.0)]]
    )
    dates = {1: 2023, 2: 2001, 3: 2024}
    keys = sort_keys(
        "date", ranked.scores, date=lambda: np.asarray([dates[i] for i in ranked.ids]), title=None, node_ids=None
    )
    positions = page_order(keys, ranked.ids, 0, 10, ranked.coordination)
    assert [int(ranked.ids[i]) for i in positions] == [2, 3, 1]  # 2 holds every word; then newest first


sorted_sets = st.lists(st.integers(0, 5000), max_size=3000).map(lambda v: np.unique(np.asarray(v, dtype=np.int64)))


@settings(max_examples=300, deadline=None)
@given(sorted_sets, sorted_sets)
def test_kept_finds_what_np_isin_finds(ids, allowed):
    """kept (binary search for short arrays, np.isin for long ones) agrees
    with np.isin, whichever array is the shorter."""
    expected = np.flatnonzero(np.isin(ids, allowed))
    assert kept(ids, allowed).tolist() == expected.tolist()
    assert Matches(ids, ids * 0.5).restrict(allowed).ids.tolist() == ids[expected].tolist()
