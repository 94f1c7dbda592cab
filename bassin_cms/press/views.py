"""/presse: the press space's public page, its feed and its search."""

from pyramid.view import view_config

from bassin_cms.opendata.views import atom_feed

from . import RELEASE_KIND
from .services import PressService


@view_config(route_name="press", renderer="press.pt", conditional=True)
def press_view(request):
    press = PressService(request)
    service = request.file_service
    releases = [
        (r, service.listed(service.files_of(r)) if request.has_permission("view_full", r) else [])
        for r in press.releases()
    ]
    return {"releases": releases, "reviews": press.reviews_by_year(), "contact": press.contact()}


@view_config(route_name="press_feed")
def press_feed_view(request):
    """The press releases and kits as Atom (public ones only, as every feed)."""
    resources = request.public_catalogue.latest(kind=RELEASE_KIND)
    return atom_feed(
        request, resources, "Communiqués et dossiers de presse de la Mission Bassin Minier", request.route_url("press")
    )
