"""The judged query set (tests/relevance/queries.tsv, 185 queries) on the demo
content, as a visitor, on each backend: the mean reciprocal rank may not fall
below what was reached (Whoosh 0.986, PostgreSQL 0.995 on 2026-12-06), every
expected resource is in the top 3, and the backends stay within 0.02 of each
other."""

import io

import pytest

from tests.conftest import ROOT
from tests.relevance.run import demo_site, score

FLOOR = 0.98
_scores = {}


@pytest.mark.parametrize("backend", ["whoosh", "postgresql"])
def test_the_judged_queries_find_their_resources(backend, tmp_path_factory, request):
    if not (ROOT.parent / "shared" / "catalogue").exists():
        pytest.skip("the demo content (../shared) is not beside the checkout")
    try:
        if backend == "whoosh":
            ini = request.getfixturevalue("demo_ini")  # the session's demo site
        else:
            ini = demo_site(backend, tmp_path_factory.mktemp(f"relevance-{backend}"))
    except Exception as exc:  # noqa: BLE001 - no PostgreSQL here
        if backend == "postgresql":
            pytest.skip(f"no PostgreSQL for the demo site: {exc}")
        raise
    report = io.StringIO()
    mrr, _hit1, hit3, n = score(ini, out=report)
    _scores[backend] = mrr
    assert mrr >= FLOOR, report.getvalue()
    assert hit3 == n, report.getvalue()
    if len(_scores) == 2:
        assert abs(_scores["whoosh"] - _scores["postgresql"]) <= 0.02, _scores
