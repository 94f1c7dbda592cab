"""The migrations produce exactly the models' schema (what `alembic check` checks),
and upgrading a database that holds content keeps every row."""
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from bassin_cms.cli.setup import alembic_config
from bassin_cms.db import get_engine
from bassin_cms.models import Base
from tests.conftest import INI

TABLES = ["nodes", "folders", "resources", "documents", "terms", "resource_terms", "resource_agents",
          "blobs", "resource_files", "node_redirects", "users"]


def test_no_drift_between_models_and_migrations(dbengine):
    with dbengine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
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
    assert state == "published"   # what existed was public: it stays public
