"""One process writes (commits that merge segments) while another searches:
the searching process never fails. Its searcher, whose segment files the
other's merges delete, is dropped and opened again instead of refreshed.

Runs BASSIN_SOAK_SECONDS (60 by default); it does not touch the database, so
the PostgreSQL pass of CI skips it."""

import multiprocessing
import os
import threading
import time

import pytest
from whoosh.query import Term

from bassin_cms.search import engine
from bassin_cms.search.analysis import french_analyzer, tokens
from bassin_cms.search.index import SearchIndex
from bassin_cms.search.resource_table import ResourceTable

SECONDS = float(os.environ.get("BASSIN_SOAK_SECONDS", "60"))
WORDS = "bassin minier patrimoine terril cité chevalement fosse coron jardin école".split()
STEMS = [tokens(french_analyzer(), w)[0] for w in WORDS]

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("BASSIN_TEST_DATABASE_URL")), reason="no database involved: run once, in the SQLite pass"
)


def document(node_id, round_=0):
    words = " ".join(WORDS[(node_id + i + round_) % len(WORDS)] for i in range(30))
    return dict(
        id=f"r{node_id}",
        node=str(node_id),
        doctype="resource",
        node_id=node_id,
        title=f"Ressource {node_id} {WORDS[node_id % len(WORDS)]}",
        text=words,
        kind="rapport",
        theme="patrimoine,terrils",
        year=2000 + node_id % 20,
        sort_date=node_id,
        sort_title=f"ressource {node_id}",
        allowed="role:editor",
        public="system.Everyone",
        effective=0,
        expires=2**62,
        meta={"title": f"Ressource {node_id}", "version": round_},
    )


def write_loop(directory, seconds, ready):
    index = SearchIndex(directory)
    ready.set()
    deadline, round_ = time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        round_ += 1
        # A few documents a commit: new small segments, merged as they pile up.
        index.update({n: [document(n, round_)] for n in range(round_ % 50, round_ % 50 + 5)})


def test_searching_while_another_process_writes_and_merges_never_fails(tmp_path):
    directory = str(tmp_path / "index")
    index = SearchIndex(directory)
    index.create()
    index.update({n: [document(n)] for n in range(200)})
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    writer = context.Process(target=write_loop, args=(directory, SECONDS, ready), daemon=True)
    writer.start()
    ready.wait(30)

    def search(searcher, n):
        found = engine.evaluate(searcher, Term("text", STEMS[n % len(STEMS)]))
        counts = ResourceTable.of(searcher).count(found.ids)
        stored = [searcher.stored_fields(int(d))["node_id"] for d in found.ids[-10:]]
        return len(found), counts, stored

    # Four threads, as the server's, each idle a moment between two searches:
    # files a reader opens lazily may be gone by its next search.
    results = {"searches": 0, "errors": []}
    deadline = time.monotonic() + SECONDS

    def searching(seed):
        n = seed
        while time.monotonic() < deadline:
            n += 1
            try:
                total, counts, stored = index.read(lambda searcher, n=n: search(searcher, n))
                assert total > 0 and counts["kind"] and stored
            except Exception as exc:  # noqa: BLE001 - counted: the test is about there being none
                results["errors"].append(f"{type(exc).__name__}: {exc}")
            results["searches"] += 1
            time.sleep(0.001 * (n % 40))

    threads = [threading.Thread(target=searching, args=(seed,)) for seed in range(4)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(SECONDS + 30)
    finally:
        writer.join(SECONDS + 30)
        if writer.is_alive():
            writer.terminate()
    searches, errors = results["searches"], results["errors"]
    assert writer.exitcode == 0
    assert searches > 100
    assert errors == [], f"{len(errors)} of {searches} searches failed: {errors[:5]}"
