"""The PostgreSQL backend counts a query's facets from arrays it keeps per
process (FacetTable): they must give what counting the rows in SQL gives,
and follow a change committed by another process at its next query."""

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from bassin_cms.content.models import Document, Folder
from bassin_cms.content.services import ContentService
from bassin_cms.content.vocabularies import VocabularyService
from tests.conftest import live_app


@pytest.fixture(scope="module")
def site(tmp_path_factory, app_settings):
    app, engine = live_app(tmp_path_factory, app_settings, "facet_table", search_backend="postgresql")
    with Session(bind=engine, info={"registry": app.registry}) as session:
        content, vocabularies = ContentService(session), VocabularyService(session)
        folder = content.create(content.root(), Folder, title="Études")
        themes = [vocabularies.by_code("theme", code) for code in ("terrils", "cites-minieres", "patrimoine-mondial")]
        for n in range(12):
            node = content.create(
                folder,
                Document,
                title=f"Étude des terrils n° {n}",
                state="published" if n % 4 else "draft",
                date_year=2010 + n % 3,
                kind=vocabularies.by_code("kind", "etude" if n % 2 else "rapport"),
            )
            node.terms = [themes[n % 3]] + ([themes[(n + 1) % 3]] if n % 5 == 0 else [])
        session.commit()
    app.registry["outbox_worker"].drain()
    return app, engine


def anonymous_plan(words):
    """A visitor's search for ``words``, top 10 by relevance."""
    import datetime as dt

    from bassin_cms.search.backend import Plan
    from bassin_cms.search.query import Thesaurus, build_query
    from bassin_cms.workflow.visibility import EVERYONE

    return Plan(
        query=build_query(words, Thesaurus([])),
        principals=(EVERYONE,),
        now=dt.datetime.now(dt.UTC),
        sort="relevance",
        start=0,
        stop=10,
    )


def counted_in_sql(backend, connection, ids):
    return backend._count(connection, "doctype = 'resource' AND node_id = ANY(:kept)", {"kept": ids})


def test_the_table_counts_what_sql_counts(site):
    app, engine = site
    backend = app.registry["search_backend"]
    with engine.connect() as connection:
        ids = list(connection.scalars(text("SELECT node_id FROM search_documents WHERE doctype = 'resource'")))
        table = backend.facet_table(connection, wait=True)
        for chosen in (ids, ids[::2], ids[:1], []):
            assert table.count(sorted(chosen)) == counted_in_sql(backend, connection, sorted(chosen)), chosen
        assert table.count(ids)[1]["theme"]["terrils"] >= 4


def test_a_change_committed_elsewhere_is_counted_at_the_next_query(site):
    app, engine = site
    backend = app.registry["search_backend"]
    with engine.connect() as connection:
        before = backend.facet_table(connection, wait=True)
    # Another process's change: its own session, committed (the index is
    # written in that transaction).
    with Session(bind=engine, info={"registry": app.registry}) as session:
        content, vocabularies = ContentService(session), VocabularyService(session)
        folder = content.root().children[0]
        node = content.create(folder, Document, title="Étude nouvelle", state="published", date_year=2031)
        node.terms = [vocabularies.by_code("theme", "terrils")]
        session.commit()
    with engine.connect() as connection:
        after = backend.facet_table(connection, wait=True)
        ids = list(connection.scalars(text("SELECT node_id FROM search_documents WHERE doctype = 'resource'")))
        assert after is not before
        assert after.count(ids) == counted_in_sql(backend, connection, ids)
        assert after.count(ids)[1]["year"][2031] == 1


def test_the_setting_turns_the_table_off_and_the_facets_stay_the_same(site):
    from bassin_cms.search import make_backend

    app, engine = site
    without = make_backend(dict(app.registry.settings, **{"bassin.search_facet_table": "false"}), app.registry)
    with engine.connect() as connection:
        assert without.facet_table(connection) is None
    plan = anonymous_plan("étude terrils")
    counted = without.find(plan)
    assert counted.total and counted.facets["theme"]
    assert counted.facets == app.registry["search_backend"].find(plan).facets


def test_a_word_already_asked_still_finds_what_was_committed_since(site):
    """The sets of documents each word matches are kept per process: a
    resource committed elsewhere afterwards is found by the next query."""

    app, engine = site
    backend = app.registry["search_backend"]

    def found():
        plan = anonymous_plan("zorglubienne")
        return backend.find(plan).total

    assert found() == 0  # asked once: the (empty) set is kept
    with Session(bind=engine, info={"registry": app.registry}) as session:
        content = ContentService(session)
        folder = content.root().children[0]
        content.create(folder, Document, title="Une étude zorglubienne", state="published")
        session.commit()
    assert found() == 1
    with Session(bind=engine, info={"registry": app.registry}) as session:
        draft = ContentService(session).create(
            ContentService(session).root().children[0], Document, title="Brouillon zorglubien", state="draft"
        )
        session.commit()
        assert draft.id
    assert found() == 1  # a draft is not found by a visitor, even among kept sets


def test_a_table_brought_up_to_date_by_changes_equals_one_read_whole(site):
    """After edits, a retraction, a deletion and a new resource, the table
    patched with the changed resources (its kept word sets carried over, not
    asked again) holds what reading every row again gives."""
    from bassin_cms.search.postgres_backend import FACET_TABLE_COLUMNS, FacetTable

    app, engine = site
    backend = app.registry["search_backend"]
    plan = anonymous_plan("étude terrils")
    with engine.connect() as connection:
        backend.facet_table(connection, wait=True)
    backend.find(plan)  # the words' sets are now kept
    with engine.connect() as connection:
        before = backend.facet_table(connection, wait=True)
    words = before.kept_words()
    assert words
    with Session(bind=engine, info={"registry": app.registry}) as session:
        content, vocabularies = ContentService(session), VocabularyService(session)
        folder = content.root().children[0]
        studies = sorted(folder.children, key=lambda node: node.id)
        published = [node for node in studies if node.state == "published"]
        published[0].title = "Un plan de gestion"  # no longer matches "terrils"
        published[1].terms = [vocabularies.by_code("theme", "patrimoine-mondial")]
        published[1].date_year = 1999
        published[2].state = "draft"  # retracted
        content.delete(published[3])
        created = content.create(folder, Document, title="Les terrils de Loos", state="published", date_year=2032)
        created.terms = [vocabularies.by_code("theme", "terrils")]
        session.commit()
    with engine.connect() as connection:
        after = backend.facet_table(connection, wait=True)
        whole = FacetTable(
            connection.execute(
                text(
                    f"SELECT {FACET_TABLE_COLUMNS} FROM search_documents d WHERE doctype = 'resource' ORDER BY node_id"
                )
            ).all()
        )
        assert after is not before
        assert set(after._sets) == set(words), "the word sets were read again instead of carried over"
        assert after.node_ids.tolist() == whole.node_ids.tolist()
        everything = whole.node_ids.tolist()
        assert after.count(everything) == whole.count(everything)
        for mask_after, mask_whole in zip(after.findable(plan), whole.findable(plan), strict=True):
            assert mask_after.tolist() == mask_whole.tolist()
        carried, asked = after.words(connection, set(words)), whole.words(connection, set(words))
        assert {key: rows.tolist() for key, rows in carried.items()} == {
            key: rows.tolist() for key, rows in asked.items()
        }
        assert after.count(everything)[1]["year"].get(2032) == 1
        assert after.count(everything)[1]["year"].get(1999) == 1


def test_the_broad_words_read_at_once_are_the_sets_asked_one_by_one(site):
    """A process reads the sets of the words most resources hold in one pass
    (FacetTable.warm): they must be what asking each word's index gives, and
    a query over them find what it found."""
    from bassin_cms.search.postgres_backend import FACET_TABLE_COLUMNS, FacetTable

    app, engine = site
    backend = app.registry["search_backend"]
    with engine.begin() as connection:
        backend.count_lexemes(connection)
    with engine.connect() as connection:
        read = f"SELECT {FACET_TABLE_COLUMNS} FROM search_documents d WHERE doctype = 'resource' ORDER BY node_id"
        warmed, asked = (
            FacetTable(connection.execute(text(read)).all()),
            FacetTable(connection.execute(text(read)).all()),
        )
        assert warmed.warm(connection, 3, 10_000) > 10
        keys = set(warmed.kept_words())
        assert any(word.endswith("terril") for _column, word in keys)
        by_index = asked.words(connection, keys)
        assert {key: rows.tolist() for key, rows in warmed.words(connection, keys).items()} == {
            key: rows.tolist() for key, rows in by_index.items()
        }


def test_a_new_process_counts_in_sql_while_its_table_is_read(site):
    """Reading the table whole takes seconds on a large site: a process's
    first queries do not wait for it; they count in SQL, with the same
    answers, and the table is used once read."""
    from bassin_cms.search import make_backend

    app, engine = site
    fresh = make_backend(dict(app.registry.settings), app.registry)
    plan = anonymous_plan("étude terrils")
    with engine.connect() as connection:
        assert fresh.facet_table(connection) is None  # being read by its own thread
    found = fresh.find(plan)
    expected = app.registry["search_backend"].find(plan)
    assert (found.total, found.facets) == (expected.total, expected.facets)
    with engine.connect() as connection:
        table = fresh.facet_table(connection, wait=True)
    assert table is not None and len(table.node_ids) >= 12
    again = fresh.find(plan)
    assert (again.total, again.facets, [h[0]["node_id"] for h in again.hits]) == (
        expected.total,
        expected.facets,
        [h[0]["node_id"] for h in expected.hits],
    )


def test_check_names_a_missing_change_log_and_initdb_makes_it(site):
    app, engine = site
    backend = app.registry["search_backend"]
    assert backend.verify() is None
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE search_changes"))
    try:
        assert "journal des changements de la recherche absent" in backend.verify()
    finally:
        backend.ensure()  # what bassin-cms initdb does
    assert backend.verify() is None


def test_a_table_older_than_the_changes_kept_is_read_whole(site, monkeypatch):
    """Changes older than KEPT_GENERATIONS are let go: a process whose table
    is older than that cannot patch it and reads it whole (its word sets
    asked again), with what was committed meanwhile."""
    from bassin_cms.search import postgres_backend

    app, engine = site
    backend = app.registry["search_backend"]
    with engine.connect() as connection:
        before = backend.facet_table(connection, wait=True)
        before.words(connection, {("head", "tterril")})
    monkeypatch.setattr(postgres_backend, "KEPT_GENERATIONS", 1)
    for n in range(3):
        with Session(bind=engine, info={"registry": app.registry}) as session:
            content = ContentService(session)
            content.create(content.root().children[0], Document, title=f"Terril lointain {n}", state="published")
            session.commit()
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(DISTINCT generation) FROM search_changes")) == 1
        after = backend.facet_table(connection, wait=True)
        ids = list(connection.scalars(text("SELECT node_id FROM search_documents WHERE doctype = 'resource'")))
        assert after is not before
        assert ("head", "tterril") not in after.kept_words()  # read whole: nothing carried over
        assert after.count(ids) == counted_in_sql(backend, connection, ids)


def test_after_edits_a_set_no_changed_resource_touches_is_carried_over_as_it_is(site):
    """Edits and a resource added at the end leave every other resource on
    its row: the sets of words the changed resources neither held nor hold
    are the same arrays (not copied: 160-370 ms a change at 100,000
    resources), the others what reading every row again gives."""
    from bassin_cms.search.postgres_backend import FACET_TABLE_COLUMNS, FacetTable

    app, engine = site
    backend = app.registry["search_backend"]
    with engine.connect() as connection:
        backend.facet_table(connection, wait=True)
    backend.find(anonymous_plan("étude terrils"))
    backend.find(anonymous_plan("zorglubienne"))
    with engine.connect() as connection:
        before = backend.facet_table(connection, wait=True)
    words = before.kept_words()
    with Session(bind=engine, info={"registry": app.registry}) as session:
        content = ContentService(session)
        folder = content.root().children[0]
        published = [n for n in sorted(folder.children, key=lambda node: node.id) if n.state == "published"]
        published[0].title = "Un plan de gestion"  # no longer matches "terrils"
        published[1].state = "draft"  # retracted: still a document, other grants
        content.create(folder, Document, title="Les terrils de Loos", state="published")
        session.commit()
    with engine.connect() as connection:
        after = backend.facet_table(connection, wait=True)
        whole = FacetTable(
            connection.execute(
                text(
                    f"SELECT {FACET_TABLE_COLUMNS} FROM search_documents d WHERE doctype = 'resource' ORDER BY node_id"
                )
            ).all()
        )
        untouched = [key for key in words if key[1].endswith("zorglubien")]
        assert untouched and all(after._sets[key] is before._sets[key] for key in untouched)
        carried, asked = after.words(connection, set(words)), whole.words(connection, set(words))
        assert {key: rows.tolist() for key, rows in carried.items()} == {
            key: rows.tolist() for key, rows in asked.items()
        }
        assert after._kept_rows == sum(len(rows) for rows in after._sets.values())
