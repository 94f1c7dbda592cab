"""What the home and browse pages show: counts by theme, territory, kind and
audience of what the visitor may see (from the search index, so they follow
the same permissions as search), the latest publications, the most consulted."""
import datetime as dt

from bassin_cms.search.services import SearchParams
from bassin_cms.workflow.security import visible_to_public

# URL segment -> (search facet, vocabulary, French title, English title)
BROWSE_FACETS = {
    "themes": ("theme", "Thèmes", "Themes"),
    "territoires": ("territory", "Territoires", "Territories"),
    "types": ("kind", "Types de ressources", "Kinds of resources"),
    "publics": ("audience", "Publics", "Audiences"),
}
FACET_SEGMENT = {facet: segment for segment, (facet, _fr, _en) in BROWSE_FACETS.items()}
# The région whose EPCIs (the intercommunalities of the basin, below its two
# départements) are the home page's entry points by territory.
REGION = "hauts-de-france"
MOST_CONSULTED_DAYS = 90


class Portal:
    def __init__(self, request):
        self.request = request

    def counts(self, **filters):
        """{facet: {code: count}} of what the visitor may see (after ``filters``)."""
        results = self.request.search_service.search(SearchParams(sort="date", page=1, **filters), count_only=True)
        return results.facets

    def tree(self, facet, counts):
        """[(term, depth, count)] of a vocabulary, parents first, terms that
        hold nothing the visitor may see left out."""
        return [(term, depth, counts.get(facet, {}).get(term.code, 0))
                for term, depth in self.request.vocabulary_service.tree(facet)
                if counts.get(facet, {}).get(term.code)]

    def epcis(self, counts):
        """[(term, count)] of the intercommunalities, whether they hold anything
        yet or not (an entry point the partners look for)."""
        out, region_depth = [], None
        for term, depth in self.request.vocabulary_service.tree("territory"):
            if depth == 0:
                region_depth = 0 if term.code == REGION else None
            elif region_depth == 0 and depth == 2:
                out.append((term, counts.get("territory", {}).get(term.code, 0)))
        return out

    def latest(self, limit=6):
        return self.request.public_catalogue.latest(limit=limit)

    def most_consulted(self, limit=6, days=MOST_CONSULTED_DAYS):
        """The public resources most viewed and downloaded over ``days`` days."""
        ranked = self.request.statistics_service.most_consulted(days=days, limit=limit * 3)
        resources = {r.id: r for r in self.request.content_service.resources([node_id for node_id, _n in ranked])}
        out = []
        for node_id, total in ranked:
            resource = resources.get(node_id)
            if resource is not None and visible_to_public(resource):
                out.append((resource, total))
        return out[:limit]

    @staticmethod
    def segment(facet):
        return FACET_SEGMENT[facet]


def since(days):
    return dt.date.today() - dt.timedelta(days=days - 1)
