"""Statistics pages for administrators: the period's most consulted resources,
per kind, theme and audience, as charts and tables; CSV; the yearly PDF."""

import datetime as dt

from pyramid.httpexceptions import HTTPNotFound
from pyramid.response import Response
from pyramid.view import view_config

from bassin_cms.forms import parse_day
from bassin_cms.i18n import _
from bassin_cms.params import id_param

from . import charts
from .services import report, to_csv

LABELS = {
    "resource": _("Ressource"),
    "value": _("Valeur"),
    "top": _("Ressources les plus consultées, avec leurs chiffres"),
}
GROUP_TITLES = {"kind": _("Par type de ressource"), "theme": _("Par thème"), "audience": _("Par public")}


def period(request, today=None):
    """(start, end, message): the period asked for, 30 days by default."""
    today = today or dt.date.today()
    since, until = (request.params.get(k, "") for k in ("since", "until"))
    start, end = parse_day(since) or today - dt.timedelta(days=29), parse_day(until) or today
    message = None
    if (since and not parse_day(since)) or (until and not parse_day(until)):
        message = _("Dates non reconnues : utilisez la forme AAAA-MM-JJ (ex. 2026-11-21). Période par défaut affichée.")
    if start > end:
        start, end = end, start
        message = _("La date de début était après la date de fin : elles ont été inversées.")
    return start, end, message


def describe_for(request):
    def describe(node_ids):
        return {
            r.id: {
                "title": r.title,
                "url": request.route_url("shortlink", shortid=r.shortid, rest=()),
                "kind": r.kind.label if r.kind else "(non renseigné)",
                "theme": [t.label for t in r.terms_of("theme")],
                "audience": [t.label for t in r.terms_of("audience")],
            }
            for r in request.content_service.resources(node_ids)
        }

    return describe


@view_config(route_name="admin_statistics", renderer="admin/statistics.pt", permission="manage")
def statistics_view(request):
    start, end, message = period(request)
    service = request.statistics_service
    figures = report(service.per_resource(start, end), describe_for(request))
    days = service.per_day(start, end)
    timeline = [
        ((start + dt.timedelta(days=i)).strftime("%d/%m"), days.get(start + dt.timedelta(days=i), {}))
        for i in range((end - start).days + 1)
    ]
    top = figures["resources"][:20]
    groups = [(GROUP_TITLES[name], rows[:15]) for name, rows in figures["groups"].items()]
    today = dt.date.today()
    return {
        "start": start,
        "end": end,
        "message": message,
        "totals": service.totals(start, end),
        "top": top,
        "timeline_chart": charts.columns(timeline, request.localizer.translate) if len(timeline) <= 400 else None,
        "groups": groups,
        "series": charts.SERIES,
        "labels": LABELS,
        "top_value": charts.top,
        "share": charts.share,
        "query": {"since": start.isoformat(), "until": end.isoformat()},
        "presets": [
            (_("30 derniers jours"), today - dt.timedelta(days=29), today),
            (_("Cette année"), dt.date(today.year, 1, 1), today),
            (_("L'année dernière"), dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)),
        ],
        "years": list(range(today.year, today.year - 5, -1)),
    }


@view_config(route_name="admin_statistics_csv", permission="manage")
def statistics_csv_view(request):
    start, end, _message = period(request)
    figures = report(request.statistics_service.per_resource(start, end), describe_for(request))
    response = Response(to_csv(figures["resources"]).encode("utf-8"), content_type="text/csv", charset="utf-8")
    response.content_disposition = f'attachment; filename="statistiques-{start}-{end}.csv"'
    return response


@view_config(route_name="admin_statistics_pdf", permission="manage")
def statistics_pdf_view(request):
    from bassin_cms.pdf.statistics_report import yearly_report

    year = id_param(request.matchdict["year"])
    if year is None or not 2000 <= year <= 2999:
        raise HTTPNotFound()
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    service = request.statistics_service
    figures = report(service.per_resource(start, end), describe_for(request))
    months = [{"view": 0, "download": 0} for _month in range(12)]
    for day, counts in service.per_day(start, end).items():
        for action, count in counts.items():
            months[day.month - 1][action] += count
    pdf = yearly_report(year, service.totals(start, end), figures, months, charts.SERIES)
    response = Response(pdf, content_type="application/pdf")
    response.content_disposition = f'attachment; filename="statistiques-{year}.pdf"'
    return response
