"""A process's searcher sees another process's commits at once, without
listing the index directory on every search: the directory's stamp stands
for the listing once it is older than the filesystem's clock tick."""

import os
import time

from whoosh.query import Term
from whoosh.searching import Searcher

from bassin_cms.search.index import SearchIndex
from tests.unit.search.test_across_processes import document


def count(index):
    return index.read(lambda searcher: len(list(searcher.docs_for_query(Term("doctype", "resource")))))


def age(directory, seconds=60):
    then = time.time() - seconds
    os.utime(directory, (then, then))


def test_another_process_commit_is_seen_at_once_and_an_unchanged_index_is_not_listed(tmp_path, monkeypatch):
    directory = str(tmp_path / "index")
    searching, writing = SearchIndex(directory), SearchIndex(directory)  # two processes' views
    searching.create()
    writing.update({1: [document(1)]})
    age(directory)
    assert count(searching) == 1

    listings = []
    up_to_date = Searcher.up_to_date
    monkeypatch.setattr(Searcher, "up_to_date", lambda self: listings.append(1) or up_to_date(self))
    for _ in range(5):
        assert count(searching) == 1
    assert len(listings) <= 1  # the stamp, taken before, stands for the listing

    writing.update({2: [document(2)]})  # the directory changes now
    assert count(searching) == 2
    # While the directory is younger than a clock tick, every search lists it:
    # a commit in the same tick as the last look is not missed.
    listings.clear()
    writing.update({3: [document(3)]})
    assert count(searching) == 3
    writing.update({4: [document(4)]})
    assert count(searching) == 4
    assert len(listings) >= 2


def test_an_index_rebuilt_by_another_process_is_seen(tmp_path):
    directory = str(tmp_path / "index")
    searching, writing = SearchIndex(directory), SearchIndex(directory)
    searching.create()
    writing.update({1: [document(1)], 2: [document(2)]})
    age(directory)
    assert count(searching) == 2
    writing.rebuild([document(n) for n in range(1, 6)])  # a new directory in its place
    age(directory)
    assert count(searching) == 5
