"""Alembic environment: settings from the [app:main] section of the same .ini.

Tests (and `bassin-cms initdb`) may hand in an open connection through
``config.attributes["connection"]``.
"""

from alembic import context
from pyramid.paster import get_appsettings, setup_logging

from bassin_cms.db import get_engine, managed_by_migrations
from bassin_cms.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_offline():
    settings = get_appsettings(config.config_file_name)
    from bassin_cms.db import database_url

    context.configure(url=database_url(settings), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    if config.config_file_name:
        setup_logging(config.config_file_name)
    engine = get_engine(get_appsettings(config.config_file_name))
    with engine.connect() as connection:
        _run(connection)


def _run(connection):
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch mode rebuilds a table (copy, drop, rename). With foreign keys on,
        # dropping the old table would cascade into every table that references it
        # and delete their rows. SQLite only switches them off outside a
        # transaction, so this must run first.
        if connection.in_transaction():
            raise RuntimeError("SQLite migrations must be given a connection outside a transaction")
        connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=sqlite,
        compare_type=True,
        include_object=managed_by_migrations,
    )
    try:
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            broken = connection.connection.dbapi_connection.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"foreign keys broken after migration: {broken[:10]}")
    finally:
        if sqlite:
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
