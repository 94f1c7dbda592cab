"""An interrupted rebuild (Ctrl-C, or SIGTERM, which `reindex` turns into the
same) stops its helper processes and leaves the live index as it was."""

import multiprocessing

import pytest

from bassin_cms.search.index import SearchIndex
from tests.unit.search.test_across_processes import document


def test_an_interrupted_rebuild_leaves_no_helper_process_and_keeps_the_old_index(tmp_path):
    index = SearchIndex(str(tmp_path / "index"))
    index.create()
    index.update({n: [document(n)] for n in range(20)})

    def documents():
        for n in range(3000):
            if n == 2500:
                assert len(multiprocessing.active_children()) >= 2  # the writer's helpers are at work
                raise KeyboardInterrupt
            yield document(n)

    with pytest.raises(KeyboardInterrupt):
        index.rebuild(documents())
    assert [p for p in multiprocessing.active_children() if p.is_alive()] == []
    assert len(index.stored_nodes()) == 20
    assert not (tmp_path / "index.new").exists()
