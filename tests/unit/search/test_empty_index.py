"""A new site's index has no segment yet: counting and searching it must
answer "nothing", not fail (the home page counts on its first request)."""

from whoosh.query import Term

from bassin_cms.search import engine
from bassin_cms.search.index import SearchIndex
from bassin_cms.search.resource_table import ResourceTable


def test_an_index_without_segments_finds_and_counts_nothing(tmp_path):
    index = SearchIndex(str(tmp_path / "index"))
    assert index.ensure()  # initdb's empty index
    searcher = index.searcher()
    assert engine.evaluate(searcher, Term("doctype", "resource")).ids.tolist() == []
    table = ResourceTable.of(searcher)
    assert table.count(table.ids) == {
        name: {} for name in ("kind", "theme", "territory", "audience", "level", "subject", "year")
    }
