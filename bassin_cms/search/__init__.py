"""Full-text search in French (Whoosh 2.7.4): analysis, index written by the
outbox worker, permission-filtered queries with facets, snippets and suggestions."""
import os

from . import engine
from .index import SearchIndex
from .indexing import index_changes
from .services import SearchService


def includeme(config):
    engine.check_codec()
    settings = config.get_settings()
    directory = settings.get("bassin.index_dir") or os.path.join(settings["bassin.var_dir"], "index")
    config.registry["search_index"] = SearchIndex(directory)
    config.include("bassin_cms.changes")
    config.add_change_handler("node", index_changes)
    config.add_request_method(
        lambda request: SearchService(request, request.registry["search_index"]), "search_service", reify=True)
    config.add_route("search", "/search")
    config.add_route("search_json", "/search.json")
    config.scan(".views")
