"""Database plumbing: engine, session factory, request.dbsession.

One transaction per request: pyramid_tm drives an explicit transaction manager and
zope.sqlalchemy joins the SQLAlchemy session to it. Nothing here creates tables or
seeds data: ``bassin-cms initdb`` does that.
"""

import datetime as dt
import os

import zope.sqlalchemy
from sqlalchemy import DateTime, MetaData, engine_from_config, event
from sqlalchemy.orm import DeclarativeBase, sessionmaker
from sqlalchemy.types import TypeDecorator

# Named constraints make Alembic migrations reproducible on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A moment, stored in UTC and read back aware, on both databases.
    SQLite has no time zone: SQLAlchemy wrote a Paris time's wall clock as it
    was and read it back naive, which the code took for UTC, so a typed
    publication date moved an hour on every save. Values are converted to UTC
    before they are written (a naive one is taken as UTC already)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def database_url(settings):
    """The URL from the environment (tests, containers) wins over the .ini."""
    return os.environ.get("BASSIN_DATABASE_URL") or settings["sqlalchemy.url"]


def get_engine(settings, prefix="sqlalchemy."):
    settings = dict(settings)
    settings[prefix + "url"] = database_url(settings)
    engine = engine_from_config(settings, prefix)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine):
    # pysqlite opens transactions lazily and breaks SAVEPOINT; take over BEGIN
    # (SQLAlchemy's documented "serializable isolation / savepoints" recipe).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A transaction that will write takes the write lock at once, waiting
        # up to busy_timeout: upgraded later, it would fail at once with
        # "database is locked" whenever another writer had committed since
        # its first read (WAL's snapshot rule), the 500s of 8 editors at once.
        writes = connection.get_execution_options().get(WRITE_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


WRITE_OPTION = "bassin_write_intent"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def writing(engine):
    """The same engine (same pool) for transactions that will write: on
    SQLite they begin with BEGIN IMMEDIATE; elsewhere nothing changes."""
    return engine.execution_options(**{WRITE_OPTION: True})


def get_session_factory(engine):
    return sessionmaker(bind=engine)


def get_tm_session(session_factory, transaction_manager, request=None):
    """A session joined to ``transaction_manager``: commit and abort follow it."""
    dbsession = session_factory(info={"request": request})
    zope.sqlalchemy.register(dbsession, transaction_manager=transaction_manager)
    return dbsession


def includeme(config):
    settings = config.get_settings()
    settings["tm.manager_hook"] = "pyramid_tm.explicit_manager"
    config.include("pyramid_tm")
    config.include("pyramid_retry")

    engine = settings.get("bassin.engine") or get_engine(settings)
    session_factory = get_session_factory(engine)
    config.registry["dbsession_factory"] = session_factory
    config.registry["dbengine"] = engine

    write_engine = writing(engine)

    def dbsession(request):
        # Tests hand in a session bound to an outer transaction they roll back.
        session = request.environ.get("app.dbsession")
        if session is None:
            session = get_tm_session(session_factory, request.tm, request=request)
            if request.method not in READ_METHODS or request.environ.get(WRITE_OPTION):
                session.bind = write_engine
        else:
            session.info["request"] = request  # the audit log names the actor
        return session

    config.add_request_method(dbsession, reify=True)


def managed_by_migrations(obj, name, type_, reflected, compare_to):
    """Alembic's include_object: the PostgreSQL search backend's tables
    (search_*) are an index that `bassin-cms initdb` and `reindex` make, not
    part of the schema the migrations keep."""
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", "")
    return not (table or "").startswith("search_")


def delete_nodes_of_types(connection, types):
    """For downgrades that drop a kind's tables: delete its nodes and every row
    that refers to them, found by reflection (the migrations run with SQLite's
    foreign keys off, so no cascade would do it). Rows that only point at a
    node (ON DELETE SET NULL) get NULL."""
    from sqlalchemy import inspect, text

    inspector = inspect(connection)
    placeholders = ", ".join(f":t{i}" for i in range(len(types)))
    params = {f"t{i}": t for i, t in enumerate(types)}
    doomed = f"SELECT id FROM nodes WHERE type IN ({placeholders})"
    for table in inspector.get_table_names():
        if table == "nodes":
            continue
        for key in inspector.get_foreign_keys(table):
            if key["referred_table"] not in ("nodes", "resources") or len(key["constrained_columns"]) != 1:
                continue
            column = key["constrained_columns"][0]
            if (key.get("options") or {}).get("ondelete", "").upper() == "SET NULL":
                connection.execute(text(f"UPDATE {table} SET {column} = NULL WHERE {column} IN ({doomed})"), params)
            else:
                connection.execute(text(f"DELETE FROM {table} WHERE {column} IN ({doomed})"), params)
    connection.execute(text(f"DELETE FROM nodes WHERE type IN ({placeholders})"), params)
