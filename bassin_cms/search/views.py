"""/search (HTML) and /search.json: the same parameters, the same answer."""

import logging

from pyramid.encode import quote_plus, urlencode
from pyramid.view import view_config

from bassin_cms.i18n import _
from bassin_cms.search.backend import PAGE_SIZE

from .index import IndexUnavailable, IndexVersionError
from .services import FACETS, SearchParams

UNAVAILABLE = _(
    "La recherche est momentanément indisponible : son index est en cours de réparation. "
    "Les pages des ressources restent consultables ; réessayez dans quelques minutes."
)

log = logging.getLogger(__name__)
FACET_LABELS = {
    "kind": "Type",
    "theme": "Thème",
    "territory": "Territoire",
    "audience": "Public",
    "level": "Niveau",
    "subject": "Discipline",
    "year": "Année",
}
VOCABULARY_OF = {
    "kind": "kind",
    "theme": "theme",
    "territory": "territory",
    "audience": "audience",
    "level": "level",
    "subject": "subject",
}


def labelled_facets(request, counts):
    terms = request.search_service.vocabulary().by_code
    labels = {
        key: request.term_label(terms[key], acronym=True)
        for key in ((VOCABULARY_OF[name], code) for name in FACETS for code in counts.get(name, {}))
        if key in terms
    }
    out = {}
    for name in FACETS:
        items = [
            {"value": code, "label": labels.get((VOCABULARY_OF[name], code), code), "count": count}
            for code, count in counts.get(name, {}).items()
        ]
        out[name] = sorted(items, key=lambda i: (-i["count"], i["label"]))[:30]
    out["year"] = sorted(
        ({"value": str(y), "label": str(y), "count": c} for y, c in counts.get("year", {}).items()),
        key=lambda i: i["value"],
        reverse=True,
    )
    return out


def run_search(request, fixed=None, public=False):
    """``fixed``: filters the address itself sets (a browse page's term)."""
    raw = dict(request.params.items())
    raw.update(fixed or {})
    params = SearchParams.from_request(raw)
    try:
        results = request.search_service.search(params, public=public)
    except (IndexVersionError, IndexUnavailable):
        log.exception("search unavailable")
        request.response.status = 503
        request.response.headers["Retry-After"] = "60"
        return params, None, request.localizer.translate(UNAVAILABLE)
    return params, results, None


def _json_snippet(request, hit, snippet):
    """A page of a file links to the file at that page; a part of the resource
    (an index entry, a chapter, an article) to its anchor in the resource page."""
    if snippet.get("anchor"):
        return {
            "text": snippet["text"],
            "page": None,
            "title": snippet["title"],
            "url": f"{hit.url}#{snippet['anchor']}",
        }
    return {
        "text": snippet["text"],
        "page": snippet["page"],
        "url": request.resource_url(hit.node, "@@display-file", str(snippet["file_id"]), snippet["filename"])
        + f"#page={snippet['page']}",
    }


def json_hit(request, hit):
    return {
        "title": hit.title,
        "url": hit.url,
        "kind": hit.kind,
        "year": hit.year,
        "summary": hit.summary,
        "snippets": [_json_snippet(request, hit, s) for s in hit.snippets],
        "score": hit.score,
        "missing": hit.missing,
        "reserved": hit.reserved,
        "matched_in": [{"what": request.localizer.translate(what), "names": names} for what, names in hit.matched_in],
    }


@view_config(route_name="search_json", renderer="json")
def search_json(request):
    params, results, error = run_search(request)
    if results is None:
        return {"error": error}
    return {
        "total": results.total,
        "page": results.page,
        "results": [json_hit(request, h) for h in results.hits],
        "facets": labelled_facets(request, results.facets),
        "suggestion": results.suggestion,
        "fuzzy": results.fuzzy,
        "complete": results.complete,
        "unmatched": results.unmatched,
        "messages": results.messages,
    }


# conditional: kept by the page cache for visitors without a session (the key
# holds the query string, the language and the site's version, which moves
# again once the worker has written the index: search/indexing.py).
@view_config(route_name="search", renderer="search.pt", conditional=True)
def search_html(request):
    return facet_page(request)


def _feed(request, params):
    """The Atom feed of new publications that goes with this page: of its
    theme or territory when it is filtered by one (the feed's own filters),
    else of the whole centre."""
    for name in ("theme", "territory"):
        code = getattr(params, name)
        term = request.vocabulary_service.by_code(name, code) if code else None
        if term is not None:
            return {"url": request.route_url("feed", _query={name: code}), "term": request.term_label(term)}
    return {"url": request.route_url("feed"), "term": None}


def _unfiltered(request, params, results, url):
    """When a filtered search finds nothing: the same words without filters,
    {"url", "total"}, if that finds something."""
    filtered = [name for name in FACETS if getattr(params, name)] + [
        name for name in ("year_from", "year_to") if getattr(params, name)
    ]
    if results.total or not filtered or not params.q:
        return None
    bare = SearchParams(q=params.q)
    total = request.search_service.search(bare, count_only=True).total
    if not total:
        return None
    return {"url": request.route_url("search", _query={"q": params.q}), "total": total}


SEARCH_REFINEMENTS = ("kind", "theme", "territory", "audience", "year")


def refinements(params, facets, query, url, names=SEARCH_REFINEMENTS):
    """The facet links of a results page, built here rather than in each
    template: [{"name", "title", "items"}] for the facets ``names`` that have
    values, their first twelve values each {"label", "count", "selected",
    "href"}: a value's link adds it to the search, a chosen value's link
    removes it (and leaves a browse page for the search when it is the
    page's own filter: ``url``'s ``remove``)."""
    out = []
    for name in names:
        values = facets.get(name) or []
        if not values:
            continue
        key = "year_from" if name == "year" else name
        chosen = str(params.year_from or "") if name == "year" else getattr(params, name)
        items = []
        for value in values[:12]:
            selected = chosen == value["value"]
            if selected:
                href = url({k: v for k, v in query.items() if k not in (key, "year_to")}, remove=key)
            elif name == "year":
                href = url(dict(query, year_from=value["value"], year_to=value["value"]))
            else:
                href = url(dict(query, **{name: value["value"]}))
            items.append(dict(value, selected=selected, href=href))
        out.append({"name": name, "title": FACET_LABELS[name], "items": items})
    return out


def facet_page(request, fixed=None, refine=SEARCH_REFINEMENTS):
    """The search page's names: also a browse page's, with its ``fixed``
    filters, whose links stay on the browse page's address; ``refine``: the
    facets it offers."""
    fixed = fixed or {}
    params, results, error = run_search(request, fixed)
    facets = labelled_facets(request, results.facets) if results else {}
    hits = (
        [
            dict(json_hit(request, h), node=h.node, kind_label=request.term_label(h.kind_term) if h.kind_term else "")
            for h in results.hits
        ]
        if results
        else []
    )
    pages = max(1, -(-results.total // PAGE_SIZE)) if results else 1
    query = {k: v for k, v in request.params.items() if k != "page" and v and k not in fixed}

    # The page has some fifty facet and page links: their two bases are built
    # once, each link adds its query string as route_url would.
    search_base = request.route_url("search")
    here_base = request.current_route_url(_query={}) if fixed else search_base

    quoted = {}  # the same words and filters in every link

    def quote(value):
        if value not in quoted:
            quoted[value] = quote_plus(value)
        return quoted[value]

    def url(query, remove=None):
        # Leaving the browse page's own filter: search the rest.
        base = search_base if remove in fixed else here_base
        return base + ("?" + urlencode(query, quote_via=quote) if query else "")

    return {
        "feed": _feed(request, params),
        "params": params,
        "results": results,
        "unfiltered": _unfiltered(request, params, results, url) if results is not None else None,
        "error": error,
        "refinements": refinements(params, facets, query, url, refine) if results else [],
        "hits": hits,
        "pages": pages,
        "query": query,
        "fixed": fixed,
        "url": url,
        "browse": None,
    }
