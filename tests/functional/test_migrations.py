"""The migrations produce exactly the models' schema (what `alembic check` checks),
and upgrading a database that holds content keeps every row."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from bassin_cms.cli.setup import alembic_config
from bassin_cms.db import get_engine, managed_by_migrations
from bassin_cms.models import Base
from tests.conftest import INI

TABLES = [
    "nodes",
    "folders",
    "resources",
    "documents",
    "terms",
    "resource_terms",
    "resource_agents",
    "blobs",
    "resource_files",
    "node_redirects",
    "users",
]


def test_no_drift_between_models_and_migrations(dbengine):
    with dbengine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": managed_by_migrations}
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_upgrading_a_database_with_content_keeps_every_row(tmp_path):
    engine = get_engine({"sqlalchemy.url": f"sqlite:///{tmp_path}/old.sqlite"})
    config = alembic_config(INI)
    first = ScriptDirectory.from_config(config).get_base()
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, first)
    with engine.begin() as connection:
        for statement in [
            "insert into users (id, email, name, password_hash, role, active, created) values (1, 'a@b.c', '', '', 'editor', 1, '2024-01-01')",
            "insert into nodes (id, type, parent_id, name, title, summary, position, shortid, created, modified, creator_id) values "
            "(1, 'folder', null, '', 'Accueil', '', 0, 'accueil', '2024-01-01', '2024-01-01', null),"
            "(2, 'folder', 1, 'ressources', 'Ressources', '', 1, 'res', '2024-01-01', '2024-01-01', null),"
            "(3, 'document', 2, 'guide', 'Guide', '', 1, 'gui', '2024-01-01', '2024-01-01', 1)",
            "insert into folders (id, body) values (1, ''), (2, '')",
            "insert into resources (id, body, publisher, language, rights) values (3, '<p>x</p>', '', 'fr', '')",
            "insert into documents (id, external_url) values (3, '')",
            "insert into terms (id, vocabulary, code, label, label_en, acronym, aliases, position) values (1, 'theme', 't', 'T', '', '', '', 0)",
            "insert into resource_terms (resource_id, term_id) values (3, 1)",
            "insert into resource_agents (id, resource_id, relation, name, role, position) values (1, 3, 'creator', 'MBM', '', 0)",
            "insert into blobs (sha256, size, mime_type, extraction, has_thumbnail, created) values ('ab', 1, 'application/pdf', 'ok', 0, '2024-01-01')",
            "insert into resource_files (id, node_id, sha256, filename, role, title, position, created) values (1, 3, 'ab', 'g.pdf', 'main', '', 0, '2024-01-01')",
            "insert into node_redirects (id, path, node_id, created) values (1, '/old', 3, '2024-01-01')",
        ]:
            connection.execute(text(statement))
        before = {t: connection.execute(text(f"select count(*) from {t}")).scalar() for t in TABLES}
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    with engine.connect() as connection:
        after = {t: connection.execute(text(f"select count(*) from {t}")).scalar() for t in TABLES}
        state = connection.execute(text("select state from nodes where id = 3")).scalar()
    assert after == before
    assert state == "published"  # what existed was public: it stays public


def test_downgrade_then_upgrade_on_the_full_demo_leaves_every_page_working(tmp_path):
    """The kinds' migrations, undone, take their nodes with them: no node is
    left without its table, and every page renders after the upgrade back."""
    import pytest
    import webtest
    from pyramid.paster import get_appsettings

    from bassin_cms import main
    from tests.conftest import PASSWORD, ROOT, login
    from tests.servers import cli, make_site

    if not (ROOT.parent / "shared" / "catalogue").exists():
        pytest.skip("the demo content (../shared) is not beside the checkout")
    ini = make_site(tmp_path)
    cli(ini, "load-demo")
    cli(ini, "create-user", "admin@example.org", "--role", "administrator", stdin=PASSWORD + "\n")
    engine = get_engine({"sqlalchemy.url": f"sqlite:///{tmp_path}/bassin.sqlite"})
    with engine.connect() as connection:
        kinds = dict(connection.execute(text("select type, count(*) from nodes group by type")).all())
    assert kinds.get("guide") and kinds.get("feature") and kinds.get("index") and kinds.get("poster")
    config = alembic_config(ini)
    command.downgrade(config, "21bc17feefb5")  # before the index, poster, guide and feature kinds
    command.upgrade(config, "head")
    with engine.connect() as connection:
        kinds_after = dict(connection.execute(text("select type, count(*) from nodes group by type")).all())
        paths = [row[0] for row in connection.execute(text("select id from nodes order by id"))]
    assert set(kinds_after) <= {"folder", "document"} and kinds_after["document"] == kinds["document"]
    settings = dict(get_appsettings(ini), **{"bassin.worker": "off", "bassin.page_cache": "false"})
    app = main({"here": str(ROOT)}, **settings)
    admin = webtest.TestApp(app, extra_environ={"HTTP_HOST": "example.com"})
    login(admin, "admin@example.org").follow()
    from sqlalchemy.orm import Session

    from bassin_cms.content.models import Node

    with Session(bind=app.registry["dbengine"]) as session:
        urls = [
            node.path + ("/" if node.path != "/" else "") for node in session.query(Node).filter(Node.id.in_(paths))
        ]
    assert len(urls) > 150
    broken = [url for url in urls if admin.get(url.replace("//", "/"), expect_errors=True).status_int != 200]
    assert broken == []
    engine.dispose()


def test_a_node_inserted_without_a_state_is_a_draft(dbengine):
    """The database's default agrees with the ORM's: not public by accident."""
    with dbengine.connect() as connection:
        transaction = connection.begin()
        try:
            connection.execute(
                text(
                    "insert into nodes (type, parent_id, name, title, summary, position, shortid, version, created, modified, "
                    "restricted, public_when_archived) values ('node', null, 'x', 'x', '', 0, 'sans-etat', 1, "
                    "'2026-01-01', '2026-01-01', "
                    "false, false)"
                )
            )
            state = connection.execute(text("select state from nodes where shortid = 'sans-etat'")).scalar()
        finally:
            transaction.rollback()
    assert state == "draft"
