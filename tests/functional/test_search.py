"""Search against a live site: real commits (the index is written after them),
its own database file and index directory."""

import io
from urllib.parse import urlsplit

import pytest
import webtest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event
from sqlalchemy.orm import Session

from bassin_cms.auth.services import UserService
from bassin_cms.content.models import Document, Folder
from bassin_cms.content.services import ContentService
from bassin_cms.content.vocabularies import VocabularyService
from bassin_cms.files.services import FileService
from bassin_cms.search.indexing import Indexer
from tests.conftest import PASSWORD, live_app, login, make_pdf

SENTENCE = "les chevalements de Wallers-Arenberg accueillent désormais un pôle image"


@pytest.fixture(scope="module")
def live(tmp_path_factory, app_settings):
    app, engine = live_app(tmp_path_factory, app_settings, "live")
    with Session(bind=engine) as session:
        users = UserService(session)
        users.create("editor@example.org", PASSWORD, "editor", "Claire")
        users.create("reviewer@example.org", PASSWORD, "reviewer", "Paul")
        content, vocabularies = ContentService(session), VocabularyService(session)
        files = FileService(session, app.registry["blob_storage"])
        folder = content.create(content.root(), Folder, title="Ressources")

        def add(title, state="published", pdf_text=None, terms=(), summary="", **kw):
            node = content.create(folder, Document, title=title, state=state, summary=summary, **kw)
            node.terms = [vocabularies.by_code(v, c) for v, c in terms]
            if pdf_text:
                files.attach(node, io.BytesIO(make_pdf(pdf_text, pages=3)), title[:20] + ".pdf", role="main")
            return node

        add("Cité des Électriciens : centre d'interprétation", summary="Bruay-la-Buissière, cité minière rénovée.")
        add("Forum Euralens 2015", summary="Rencontre annuelle des acteurs d'Euralens.", date_year=2015)
        add(
            "Porter à connaissance du Bien inscrit",
            summary="Le PAC transmis aux communes.",
            kind=vocabularies.by_code("kind", "rapport"),
        )
        add("SCOT de Lens-Liévin et Hénin-Carvin", summary="Schéma de cohérence territoriale.")
        add(
            "Feuille de route de l'ERBM",
            summary="Engagement pour le Renouveau du Bassin Minier : bilan 2023.",
            terms=[("theme", "erbm")],
        )
        add("Étude des cités de la Vallée Carreau", terms=[("territory", "cabbalr")])
        add("Rapport d'activité avec une phrase", pdf_text=SENTENCE)
        add("Brouillon secret sur les chevalements", state="draft", pdf_text="chevalements confidentiels zorglub")
        add("Réservé aux partenaires zorglub", restricted=True)
        add("Fiche 13bis du terril", summary="Terril 13bis de Loos-en-Gohelle.")
        session.commit()
    Indexer(app.registry).rebuild()
    return app


def get(app, params, user=None):
    testapp = webtest.TestApp(app, extra_environ={"HTTP_HOST": "example.com"})
    if user:
        login(testapp, user)
    return testapp.get("/search.json", params).json


@pytest.mark.parametrize(
    "query, expected",
    [
        ("cite des electriciens", "Cité des Électriciens : centre d'interprétation"),
        ("forum euralens", "Forum Euralens 2015"),
        ("porte a connaissance", "Porter à connaissance du Bien inscrit"),
        ("SCOT lens lievin", "SCOT de Lens-Liévin et Hénin-Carvin"),
        ("ERBM", "Feuille de route de l'ERBM"),
        ("renouveau du bassin minier", "Feuille de route de l'ERBM"),
        ("Artois Comm", "Étude des cités de la Vallée Carreau"),
        ("13 bis", "Fiche 13bis du terril"),
        ('"pôle image"', "Rapport d'activité avec une phrase"),
        ("chevalements wallers arenberg", "Rapport d'activité avec une phrase"),
    ],
)
def test_the_right_resource_comes_first(live, query, expected):
    answer = get(live, {"q": query})
    assert answer["results"], query
    assert answer["results"][0]["title"] == expected


def test_a_sentence_inside_a_file_gives_a_snippet_and_its_page(live):
    answer = get(live, {"q": "désormais un pôle image"})
    first = answer["results"][0]
    assert first["title"] == "Rapport d'activité avec une phrase"
    snippet = first["snippets"][0]
    assert "<mark>" in snippet["text"] and snippet["page"] in (1, 2, 3)
    assert snippet["url"].endswith(f"#page={snippet['page']}")
    assert set(answer) >= {"total", "page", "results", "facets", "suggestion"}
    assert set(first) >= {"title", "url", "kind", "year", "summary", "snippets", "score"}


def test_anonymous_never_sees_a_draft_and_reads_only_the_notice_of_a_restricted_one(live):
    answer = get(live, {"q": "zorglub"})  # a draft's file and a partners-only title hold it
    assert [(r["title"], r["reserved"], r["snippets"]) for r in answer["results"]] == [
        ("Réservé aux partenaires zorglub", True, [])
    ]
    everything = get(live, {"q": ""})
    assert "Brouillon secret sur les chevalements" not in str(everything)
    assert everything["total"] == 9
    chevalements = get(live, {"q": "chevalements"})
    assert [r["title"] for r in chevalements["results"]] == ["Rapport d'activité avec une phrase"]
    assert "confidentiels" not in str(chevalements)


def test_staff_find_drafts_partners_find_restricted(live):
    assert get(live, {"q": "zorglub"}, "editor@example.org")["total"] == 2
    assert "Brouillon secret sur les chevalements" in str(get(live, {"q": "chevalements"}, "reviewer@example.org"))


def test_publishing_makes_it_findable_after_commit(live):
    testapp = webtest.TestApp(live, extra_environ={"HTTP_HOST": "example.com"})
    login(testapp, "editor@example.org")
    page = testapp.get("/ressources/@@add/document")
    form = page.forms["deform"]
    form["title"] = "Guide des propriétaires de terril classé"
    form.set(
        "upload",
        webtest.Upload("guide.pdf", make_pdf("verdissement spontané des terrils plats"), "application/pdf"),
        index=0,
    )
    created = form.submit("save").follow()
    assert get(live, {"q": "verdissement spontané"})["total"] == 0  # a draft
    assert get(live, {"q": "verdissement spontané"}, "editor@example.org")["total"] == 1
    form = next(f for f in created.forms.values() if f.action.endswith("@@transition/submit"))
    form.submit("confirm")
    testapp.reset()
    login(testapp, "reviewer@example.org")
    page = testapp.get(created.request.path)
    next(f for f in page.forms.values() if f.action.endswith("@@transition/publish")).submit("confirm")
    answer = get(live, {"q": "verdissement spontané"})
    assert [r["title"] for r in answer["results"]] == ["Guide des propriétaires de terril classé"]


def test_facets_filters_and_sorting(live):
    answer = get(live, {"q": "", "kind": "rapport"})
    assert [r["title"] for r in answer["results"]] == ["Porter à connaissance du Bien inscrit"]
    kinds = {f["value"]: f["count"] for f in get(live, {"q": ""})["facets"]["kind"]}
    assert kinds == {"rapport": 1}
    titles = [r["title"] for r in get(live, {"q": "", "sort": "title"})["results"]]
    assert titles == sorted(titles, key=str.lower)


def test_nothing_found_suggests_and_retries_fuzzy(live):
    answer = get(live, {"q": "electricens"})
    assert answer["suggestion"] == "électriciens"  # as the public notices spell it
    assert answer["results"] and answer["results"][0]["title"].startswith("Cité des Électriciens")


def test_html_page_escapes_and_highlights(live):
    testapp = webtest.TestApp(live, extra_environ={"HTTP_HOST": "example.com"})
    page = testapp.get("/search", {"q": '<script>alert(1)</script> "pôle image'})
    assert page.status_int == 200
    assert "<script>alert(1)</script>" not in page.text
    page = testapp.get("/search", {"q": "pôle image"})
    assert page.html.select_one(".snippets mark") is not None


def test_check_reports_drift_and_reindex_repairs_it(live):
    indexer = Indexer(live.registry)
    clean = indexer.check()
    assert (clean["missing"], clean["stale"], clean["orphaned"]) == ([], [], [])
    some_id = sorted(live.registry["search_backend"].stored_nodes())[0]
    live.registry["search_backend"].update(
        {
            some_id: [],
            10**9: [{"id": "r1000000000", "node": "1000000000", "node_id": 10**9, "doctype": "resource", "meta": {}}],
        }
    )
    drift = indexer.check()
    assert drift["missing"] == [some_id] and drift["orphaned"] == [10**9]
    indexer.rebuild()
    assert indexer.check()["missing"] == [] and indexer.check()["orphaned"] == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    q=st.one_of(
        st.text(max_size=80),
        st.sampled_from(['"', "((", "title:x", "te*st", "a OR", "NOT", "\x00\x01", "le la les", '"unbalanced', "))]]"]),
        st.text(alphabet='"()*:?~^-+ab', max_size=30),
    )
)
def test_any_query_answers_never_a_500(live, q):
    testapp = webtest.TestApp(live, extra_environ={"HTTP_HOST": "example.com"})
    for url in ("/search.json", "/search"):
        assert testapp.get(url, {"q": q, "year_from": q[:4], "page": q[:3]}, expect_errors=True).status_int == 200


def test_ten_kilobytes_of_text(live):
    answer = get(live, {"q": "bassin " * 1500})
    assert "premiers caractères" in " ".join(answer["messages"])


def test_unicode_digits_in_numeric_parameters(live):
    # "²".isdigit() is true in Python but int("²") fails: found by the property above.
    answer = get(live, {"q": "terril", "year_from": "²²²²", "page": "²"})
    assert any("Année non reconnue" in m for m in answer["messages"])


def test_sorting_by_downloads_uses_the_statistics(live):
    from bassin_cms.content.models import Node
    from bassin_cms.statistics.services import StatisticsService, forget_downloads

    titles = ["Forum Euralens 2015", "Fiche 13bis du terril"]
    with Session(bind=live.registry["dbengine"]) as session:
        service = StatisticsService(session, "secret")
        for count, title in ((3, titles[0]), (5, titles[1])):
            node = session.query(Node).filter_by(title=title).one()
            for visitor in range(count):
                service.record(node.id, "download", f"192.0.{visitor}.1", "Mozilla/5.0 Firefox/130.0")
        session.commit()
    forget_downloads()
    answer = get(live, {"q": "", "sort": "downloads"})
    assert [r["title"] for r in answer["results"][:2]] == list(reversed(titles))
    relevance = get(live, {"q": "", "sort": "relevance"})
    assert [r["title"] for r in relevance["results"][:2]] != list(reversed(titles))


def test_searches_in_parallel_threads_give_the_serial_answers(live):
    """waitress serves with several threads: each must read the index on its
    own (a shared Whoosh reader gave struct errors and wrong pages under load)."""
    import threading

    queries = ["cite des electriciens", "ERBM", "terril 13 bis", '"pôle image"', "bassin minier", "Artois Comm"]
    testapp = webtest.TestApp(live, extra_environ={"HTTP_HOST": "example.com"})

    def answer(q):
        data = testapp.get("/search.json", {"q": q}).json
        return [(r["title"], r["score"]) for r in data["results"]], data["facets"]

    expected = {q: answer(q) for q in queries}
    problems = []

    def worker():
        for _ in range(15):
            for q in queries:
                try:
                    if answer(q) != expected[q]:
                        problems.append(f"different answer: {q}")
                except Exception as exc:  # noqa: BLE001 - reported below
                    problems.append(f"{q}: {exc!r}")

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []


def visitor_page(app, params):
    return webtest.TestApp(app, extra_environ={"HTTP_HOST": "example.com"}).get("/search", params)


def test_a_partners_only_result_says_so_with_a_login_that_comes_back_to_it(live):
    page = visitor_page(live, {"q": "réservé partenaires"})
    result = page.html.select_one(".result")
    assert result.select_one(".result-title").text == "Réservé aux partenaires zorglub"
    assert "Réservé aux partenaires" in result.select_one(".reserved-notice").text
    login_link = result.select_one(".reserved-notice a")["href"]
    testapp = webtest.TestApp(live, extra_environ={"HTTP_HOST": "example.com"})
    form = testapp.get(login_link).forms["login"]
    form["email"], form["password"] = "editor@example.org", PASSWORD
    landed = form.submit("login").follow()
    assert landed.request.path == urlsplit(result.select_one(".result-title")["href"]).path
    assert not result.select(".snippets")


def test_a_partial_result_says_which_typed_words_it_lacks(live):
    page = visitor_page(live, {"q": "forum euralens zorglubien"})
    first = page.html.select_one(".result")
    assert first.select_one(".result-title").text == "Forum Euralens 2015"
    assert " ".join(first.select_one(".missing").text.split()) == "Manque : zorglubien"
    assert "zorglubien" in page.html.select_one(".unmatched").text
    assert "aucun ne contient tous vos mots" in page.html.select_one(".result-count").text


def test_a_search_that_finds_nothing_says_why_and_where_to_go(live):
    testapp = webtest.TestApp(live, extra_environ={"HTTP_HOST": "example.com"})
    page = testapp.get("/search", {"q": "qwxzkj"})
    help_ = page.html.select_one(".no-result")
    assert "qwxzkj" in help_.text and "ne figurent dans aucune ressource" in help_.text
    for link in help_.select("a"):
        assert testapp.get(link["href"]).status_int == 200  # browse by theme, territory, kind
    filtered = testapp.get("/search", {"q": "forum", "kind": "rapport"})
    without = filtered.html.select_one(".no-result a[href*='q=forum']")
    assert "1 résultat" in without.text
    assert [a.text for a in testapp.get(without["href"]).html.select(".result-title")] == ["Forum Euralens 2015"]


def test_a_result_names_its_kind_in_the_visitors_language_without_reading_the_vocabularies(live):
    """The kind of each result and the facets' labels come from the
    vocabularies kept between requests: a page of results reads no term row,
    and an edited label shows on the next search."""
    visitor = webtest.TestApp(live, extra_environ={"HTTP_HOST": "example.com"})
    for _ in range(2):  # the vocabularies are read once (again if the fixture's commits moved the version)
        visitor.get("/search", {"q": "connaissance"})
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    engine = live.registry["dbengine"]
    event.listen(engine, "before_cursor_execute", listener)
    try:
        page = visitor.get("/search", {"q": "porter a connaissance"})
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    result = page.html.select_one(".result")
    assert result.select_one(".result-title").text == "Porter à connaissance du Bien inscrit"
    assert result.select_one(".listing-meta").get_text(strip=True) == "Rapport"
    assert "Rapport (1)" in " ".join(page.html.select_one(".facets").get_text(" ").split())
    assert not [s for s in statements if "FROM terms" in s], "a page of results read the vocabularies"
    first = get(live, {"q": "porter a connaissance"})["results"][0]
    assert (first["kind"], first["year"]) == ("rapport", None)
    forum = get(live, {"q": "forum euralens"})["results"][0]
    assert (forum["title"], forum["kind"], forum["year"]) == ("Forum Euralens 2015", "", 2015)
    visitor.get("/langue/en")
    english = visitor.get("/search", {"q": "porter a connaissance"}).html
    assert english.select_one(".result .listing-meta").get_text(strip=True) == "Report"
    with Session(bind=engine) as session:
        VocabularyService(session).by_code("kind", "rapport").label_en = "Report (edited)"
        session.commit()
    english = visitor.get("/search", {"q": "porter a connaissance"}).html
    assert english.select_one(".result .listing-meta").get_text(strip=True) == "Report (edited)"


def test_the_facet_links_add_a_filter_and_remove_it_from_a_search_and_a_browse_page(live):
    visitor = webtest.TestApp(live, extra_environ={"HTTP_HOST": "example.com"})

    def facet_texts(page):
        return [" ".join(li.get_text(" ").split()) for li in page.html.select(".facets li")]

    page = visitor.get("/search", {"q": "cités", "sort": "title"})
    assert "Communauté d'agglomération de Béthune-Bruay, Artois Lys Romane (CABBALR) (1)" in facet_texts(page)
    chosen = page.click(href="territory=cabbalr")
    assert dict(chosen.request.params) == {"q": "cités", "sort": "title", "territory": "cabbalr"}
    assert [a.text for a in chosen.html.select(".result-title")] == ["Étude des cités de la Vallée Carreau"]
    assert chosen.html.select_one(".facets strong").text.startswith("Communauté d'agglomération de Béthune-Bruay")
    removed = visitor.get(chosen.html.select_one(".facet-remove")["href"])
    assert dict(removed.request.params) == {"q": "cités", "sort": "title"}

    browse = visitor.get("/parcourir/themes/erbm")
    assert [a.text for a in browse.html.select(".result-title")] == ["Feuille de route de l'ERBM"]
    leave = urlsplit(browse.html.select_one(".facet-remove")["href"])
    assert (leave.path, leave.query) == ("/search", "")  # its own filter removed: the search of the rest


def test_a_result_found_by_its_notice_alone_says_where(live):
    """No page of a file to quote: the result says what held the words."""
    first = get(live, {"q": "Artois Comm"})["results"][0]
    assert first["title"] == "Étude des cités de la Vallée Carreau" and not first["snippets"]
    assert [m["what"] for m in first["matched_in"]] == ["territoires"]  # by a former name of its EPCI
    page = visitor_page(live, {"q": "Artois Comm"})
    why = " ".join(page.html.select_one(".result .why").get_text(" ").split())
    assert why.startswith("Trouvé dans : territoires (Communauté d'agglomération de Béthune-Bruay")
