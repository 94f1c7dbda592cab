"""What the home and browse pages show: counts by theme, territory, kind and
audience of what the visitor may see (from the search index, so they follow
the same permissions as search), the latest publications, the most consulted."""

import logging

from sqlalchemy import select

from bassin_cms.content.models import Resource
from bassin_cms.search.index import IndexUnavailable, IndexVersionError
from bassin_cms.search.services import SearchParams
from bassin_cms.workflow import visibility

# URL segment -> (search facet, which is also the vocabulary; title, translated
# by the templates: see i18n.DYNAMIC_MESSAGES)
BROWSE_FACETS = {
    "themes": ("theme", "Thèmes"),
    "territoires": ("territory", "Territoires"),
    "types": ("kind", "Types de ressources"),
    "publics": ("audience", "Publics"),
}
# The région whose EPCIs (the intercommunalities of the basin, below its two
# départements) are the home page's entry points by territory.
log = logging.getLogger(__name__)
REGION = "hauts-de-france"
MOST_CONSULTED_DAYS = 90


class Portal:
    def __init__(self, request):
        self.request = request

    def counts(self):
        """(total, {facet: {code: count}}) of what the visitor may see; (None,
        None) when the search index cannot be read: the pages show their entry
        points without counts."""
        try:
            results = self.request.search_service.search(SearchParams(sort="date", page=1), count_only=True)
        except (IndexUnavailable, IndexVersionError):
            log.exception("home page without counts: search index unavailable")
            return None, None
        return results.total, results.facets

    def tree(self, facet, counts):
        """[(term, depth, count)] of a vocabulary, parents first, terms that
        hold nothing the visitor may see left out (every term, with no count,
        when counting is unavailable)."""
        if counts is None:
            return [(term, depth, None) for term, depth in self.request.vocabulary_service.tree(facet)]
        counted = counts.get(facet, {})
        return [
            (term, depth, counted[term.code])
            for term, depth in self.request.vocabulary_service.tree(facet)
            if counted.get(term.code)
        ]

    def epcis(self, counts):
        """[(term, count)] of the intercommunalities, whether they hold anything
        yet or not (an entry point the partners look for)."""
        out, in_region = [], False
        for term, depth in self.request.vocabulary_service.tree("territory"):
            if depth == 0:
                in_region = term.code == REGION
            elif in_region and depth == 2:
                out.append((term, None if counts is None else counts.get("territory", {}).get(term.code, 0)))
        return out

    def latest(self, limit=6):
        return self.request.public_catalogue.latest(limit=limit)

    def most_consulted(self, limit=6, days=MOST_CONSULTED_DAYS):
        """The public resources most viewed and downloaded over ``days`` days."""
        public = select(Resource.id).where(visibility.clause("view", entity=Resource))
        ranked = self.request.statistics_service.most_consulted(days=days, limit=limit, among=public)
        resources = {r.id: r for r in self.request.content_service.resources([node_id for node_id, _n in ranked])}
        return [(resources[node_id], total) for node_id, total in ranked if node_id in resources]
