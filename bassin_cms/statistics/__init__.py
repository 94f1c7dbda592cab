"""Statistics: views and downloads per resource and day, counted without
cookies or addresses; the administrators' reports."""

from bassin_cms.auth.services import implied_roles
from bassin_cms.names import Role

from .services import StatisticsService


def statistics_service(request):
    return StatisticsService(request.dbsession, request.registry.settings.get("bassin.session_secret", ""))


def count_hit(request, node, action):
    """Count a view or download of ``node`` by whoever makes this request; the
    staff's own visits are not the public's use, so they are left out."""
    user = request.user
    if user is not None and Role.EDITOR in implied_roles(user.role):
        return False
    return request.statistics_service.record(node.id, action, request.client_addr, request.user_agent)


def includeme(config):
    config.add_request_method(statistics_service, "statistics_service", reify=True)
    config.add_request_method(count_hit, "count_hit")
    config.add_route("admin_statistics", "/admin/statistiques")
    config.add_route("admin_statistics_csv", "/admin/statistiques.csv")
    config.add_route("admin_statistics_pdf", "/admin/statistiques/rapport-{year}.pdf")
    config.scan(".views")
