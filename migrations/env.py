"""Alembic environment: settings from the [app:main] section of the same .ini.

Tests (and `bassin-cms initdb`) may hand in an open connection through
``config.attributes["connection"]``.
"""
from alembic import context
from pyramid.paster import get_appsettings, setup_logging

from bassin_cms.db import get_engine
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
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
