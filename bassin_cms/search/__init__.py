"""Full-text search in French (Whoosh 2.7.4): analysis, index written after
commit, permission-filtered queries with facets, snippets and suggestions."""
import os

from .index import SearchIndex
from .indexing import install
from .services import SearchService


def includeme(config):
    settings = config.get_settings()
    directory = settings.get("bassin.index_dir") or os.path.join(settings["bassin.var_dir"], "index")
    config.registry["search_index"] = SearchIndex(directory)
    install()
    config.add_request_method(
        lambda request: SearchService(request, request.registry["search_index"]), "search_service", reify=True)
    config.add_route("search", "/search")
    config.add_route("search_json", "/search.json")
    config.scan(".views")
