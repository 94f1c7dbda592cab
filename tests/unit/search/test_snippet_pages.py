"""The Whoosh backend reads from the stored fields only the pages a result
may show: a node's best pages by score, and those holding a number typed in
the query (a part named by it), never all the pages holding the words."""

from whoosh.reading import SegmentReader

from bassin_cms.search.analysis import french_analyzer, tokens
from bassin_cms.search.engine import stored_fields_cache
from bassin_cms.search.whoosh_backend import WhooshBackend

FR = french_analyzer()


def page(node_id, number, text, key=""):
    return dict(
        id=f"p{node_id}-{number}",
        node=str(node_id),
        node_id=node_id,
        doctype="page",
        file_id=1,
        page=number,
        page_text=text,
        meta={"filename": "rapport.pdf"} if not key else {"anchor": f"entree-{key}", "title": key, "key": key},
    )


def test_only_the_best_pages_and_a_typed_number_are_read(tmp_path, monkeypatch):
    backend = WhooshBackend(str(tmp_path / "index"))
    backend.create()
    # Page n holds "terril" n times: the later pages score higher. Page 3 is
    # the part numbered 74a, which scores low.
    pages = [page(7, n, " ".join(["terril"] * n + ["chevalement"] * (30 - n))) for n in range(1, 31)]
    pages[2] = page(7, 3, "Pointe du terril 74a " + "chevalement " * 27, key="74a")
    backend.update({7: pages, 8: [page(8, 1, "terril de Loos")]})
    words = tokens(FR, "terril")

    reads = []
    stored_fields = SegmentReader.stored_fields
    monkeypatch.setattr(SegmentReader, "stored_fields", lambda self, d: reads.append(d) or stored_fields(self, d))
    stored_fields_cache.clear()
    everything = backend.snippet_pages([7, 8], words)
    assert len(everything) == len(reads) == 31
    reads.clear()
    stored_fields_cache.clear()
    some = backend.snippet_pages([7, 8], words, best=4, numbers=["74a"])
    assert len(reads) == len(some)
    by_score = sorted((p for p in everything if p[0] == 7), key=lambda p: -p[1])
    assert {p[2]["page"] for p in some if p[0] == 7} == {p[2]["page"] for p in by_score[:4]} | {3}
    assert [p[2]["page"] for p in some if p[0] == 8] == [1]
    assert {p[2]["page"] for p in backend.snippet_pages([7], words, best=4)} == {p[2]["page"] for p in by_score[:4]}


def test_a_page_read_once_is_kept_and_a_changed_page_is_read_again(tmp_path, monkeypatch):
    """The pages shown recur from query to query: their stored fields are
    read from the segment once; a page written again (a new segment) is
    read again, never shown as it was."""
    backend = WhooshBackend(str(tmp_path / "index"))
    backend.create()
    backend.update({7: [page(7, 1, "Le terril de Loos-en-Gohelle")]})
    words = tokens(FR, "terril")
    reads = []
    stored_fields = SegmentReader.stored_fields
    monkeypatch.setattr(SegmentReader, "stored_fields", lambda self, d: reads.append(d) or stored_fields(self, d))
    first = backend.snippet_pages([7], words)
    second = backend.snippet_pages([7], words)
    assert [p[2]["page_text"] for p in first] == [p[2]["page_text"] for p in second] == ["Le terril de Loos-en-Gohelle"]
    assert len(reads) == 1
    backend.update({7: [page(7, 1, "Le terril jumeau du 11/19")]})
    assert [p[2]["page_text"] for p in backend.snippet_pages([7], words)] == ["Le terril jumeau du 11/19"]
