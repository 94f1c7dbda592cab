"""The facet values and sort keys of the resource documents, read once per
segment: an edit (the old document deleted from its segment, the new one in
a new segment) reads only the new segment, and counts and orders what is
live."""

import numpy as np
from whoosh.query import Term
from whoosh.reading import SegmentReader

from bassin_cms.search import engine
from bassin_cms.search.index import SearchIndex
from bassin_cms.search.resource_table import ResourceTable


def resource(node_id, theme, year):
    return dict(
        id=f"r{node_id}",
        node=str(node_id),
        doctype="resource",
        node_id=node_id,
        title=f"Terril {node_id}",
        kind="rapport",
        theme=theme,
        year=year,
        sort_date=year,
        sort_title=f"terril {node_id}",
        allowed="role:editor",
        public="system.Everyone",
        effective=0,
        expires=2**62,
        meta={},
    )


def test_an_edit_reads_only_its_new_segment_and_counts_what_is_live(tmp_path, monkeypatch):
    index = SearchIndex(str(tmp_path / "index"))
    index.create()
    index.update({n: [resource(n, "terrils", 2000 + n)] for n in range(1, 41)})

    def counted(searcher):
        found = engine.evaluate(searcher, Term("doctype", "resource"))
        table = ResourceTable.of(searcher)
        return table.count(found.ids), [d for d, _s in table.order(found.ids, found.scores, "date", 0, 3)]

    before, _newest = index.read(counted)
    assert before["theme"] == {"terrils": 40}
    reads = []
    stored_fields = SegmentReader.stored_fields
    monkeypatch.setattr(SegmentReader, "stored_fields", lambda self, d: reads.append(d) or stored_fields(self, d))
    index.update({7: [resource(7, "patrimoine-mondial", 2099)]})  # an edit
    after, newest = index.read(counted)
    assert len(reads) == 1, "the segment the edit deleted a document from was read again"
    assert after["theme"] == {"terrils": 39, "patrimoine-mondial": 1}
    assert after["year"][2099] == 1 and 2007 not in after["year"]
    node_ids = index.read(lambda s: [s.stored_fields(d)["node_id"] for d in newest])
    assert node_ids == [7, 40, 39]
    assert np.all(np.diff(index.read(lambda s: ResourceTable.of(s).ids)) > 0)
