"""Full-text search in French behind one interface (backend.py): Whoosh 2.7.4
files by default, PostgreSQL full text in production (``bassin.search_backend
= postgresql``). Shared: analysis, query building with synonyms, the documents
of a resource, the permission filter's tokens, snippets and the result shape."""

import os

from . import engine
from .indexing import index_changes, index_in_transaction
from .services import SearchService

BACKENDS = ("whoosh", "postgresql")


class BackendSettingError(ValueError):
    pass


def make_backend(settings, registry):
    name = settings.get("bassin.search_backend", "whoosh")
    if name == "whoosh":
        from .whoosh_backend import WhooshBackend

        engine.check_codec()
        directory = settings.get("bassin.index_dir") or os.path.join(settings["bassin.var_dir"], "index")
        return WhooshBackend(directory)
    if name == "postgresql":
        from .postgres_backend import PostgresBackend

        dbengine = registry["dbengine"]
        if dbengine.dialect.name != "postgresql":
            raise BackendSettingError(
                f"bassin.search_backend = postgresql demande une base PostgreSQL ; sqlalchemy.url désigne une base "
                f"{dbengine.dialect.name} ({dbengine.url.render_as_string(hide_password=True)}). Utilisez "
                "bassin.search_backend = whoosh, ou une URL postgresql+psycopg://…"
            )
        from pyramid.settings import asbool

        return PostgresBackend(
            dbengine,
            facet_table=asbool(settings.get("bassin.search_facet_table", "true")),
            warm_words=asbool(settings.get("bassin.search_warm_words", "true")),
        )
    raise BackendSettingError(f"bassin.search_backend = {name!r} : valeurs possibles {', '.join(BACKENDS)}.")


def includeme(config):
    settings = config.get_settings()
    backend = make_backend(settings, config.registry)
    config.registry["search_backend"] = backend
    # The outbox brings every change here; a transactional backend has written
    # it already in the change's own transaction, and this only catches up
    # what was committed without it (sessions of scripts, a restore).
    config.add_change_handler("node", index_changes)
    if backend.transactional:
        config.add_in_transaction_handler("node", index_in_transaction)
    config.add_request_method(
        lambda request: SearchService(request, request.registry["search_backend"]), "search_service", reify=True
    )
    config.add_route("search", "/search")
    config.add_route("search_json", "/search.json")
    config.scan(".views")
