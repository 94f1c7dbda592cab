"""The demo content as its first visitors meet it (make serve on a fresh
clone): what the issues found missing there."""

import re

import webtest

from tests.conftest import demo_app


def test_the_teachers_space_filters_the_demo_by_level_and_subject_and_shows_file_sizes(demo_ini):
    visitor = webtest.TestApp(demo_app(demo_ini), extra_environ={"HTTP_HOST": "example.com"})
    page = visitor.get("/enseignants")
    levels = {o["value"]: o.text for o in page.html.select("#t-level option") if o["value"]}
    subjects = {o["value"]: o.text for o in page.html.select("#t-subject option") if o["value"]}
    assert not levels["lycee"].endswith("(0)") and not subjects["hggsp"].endswith("(0)"), (levels, subjects)
    hggsp = visitor.get("/enseignants", {"niveau": "lycee", "discipline": "hggsp"})
    titles = [a.text for a in hggsp.html.select(".result-title")]
    assert any("spécialité HGGSP (Terminale" in t for t in titles), titles
    # Every resource listed tells its file's format and size before the download.
    listed = page.html.select("ol.teachers-list > li")
    assert listed
    sizes = [re.search(r"\d+(,\d)? (o|Ko|Mo)", li.get_text(" ")) for li in listed]
    assert all(sizes), [li.select_one(".result-title").text for li, s in zip(listed, sizes, strict=False) if not s]
