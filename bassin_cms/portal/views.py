"""Thin views of the public pages: home, browse, accessibility statement."""

from pyramid.httpexceptions import HTTPMovedPermanently, HTTPNotFound
from pyramid.view import view_config

from bassin_cms.content.models import Folder
from bassin_cms.content.registry import addable_types
from bassin_cms.search.views import facet_page

from .services import BROWSE_FACETS


@view_config(context=Folder, is_root=True, renderer="home.pt", permission="view", conditional=True)
def home_view(context, request):
    portal = request.portal
    total, counts = portal.counts()
    return {
        "folder": context,
        "themes": [(t, n) for t, depth, n in portal.tree("theme", counts) if depth == 0],
        "epcis": portal.epcis(counts),
        "audiences": [(t, n) for t, _depth, n in portal.tree("audience", counts)],
        "latest": portal.latest(),
        "most_consulted": portal.most_consulted(),
        "total": total,
        "addable": addable_types(request, context),
    }


@view_config(route_name="browse", renderer="browse.pt")
def browse_view(request):
    portal = request.portal
    _total, counts = portal.counts()
    return {
        "sections": [(segment, title, portal.tree(facet, counts)) for segment, (facet, title) in BROWSE_FACETS.items()]
    }


def _facet(request):
    segment = request.matchdict["facet"]
    if segment not in BROWSE_FACETS:
        raise HTTPNotFound()
    return segment, BROWSE_FACETS[segment]


@view_config(route_name="browse_facet", renderer="browse.pt")
def browse_facet_view(request):
    segment, (facet, title) = _facet(request)
    portal = request.portal
    return {"sections": [(segment, title, portal.tree(facet, portal.counts()[1]))]}


@view_config(route_name="browse_term", renderer="search.pt")
def browse_term_view(request):
    """The resources of one term: the search page without words, filtered,
    newest first by default, with the other facets' counts to narrow it."""
    segment, (facet, title) = _facet(request)
    term = request.vocabulary_service.by_code(facet, request.matchdict["code"])
    if term is None:
        raise HTTPNotFound()
    if request.params.get(facet):
        # The form's own filter would contradict the address: keep the address.
        params = {k: v for k, v in request.params.items() if k != facet}
        raise HTTPMovedPermanently(request.current_route_url(_query=params))
    page = facet_page(request, {facet: term.code})
    page["browse"] = {"segment": segment, "title": title, "facet": facet, "term": term, "parents": _parents(term)}
    return page


def _parents(term):
    out, seen = [], term.parent
    while seen is not None:
        out.insert(0, seen)
        seen = seen.parent
    return out


@view_config(route_name="accessibility", renderer="accessibility.pt")
def accessibility_view(request):
    return {}
