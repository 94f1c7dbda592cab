"""Charts of the statistics, drawn on the server, readable without JavaScript.

Views and downloads are two series, never added together: each has its colour
and its name, given once here for the page, its legend and the PDF report.
Bars beside a table's rows are HTML (their text is the page's text, at the
page's size); the day-by-day chart is SVG whose figures are in its tooltips
and, for screen readers, in the totals above it (the SVG is aria-hidden)."""

from dataclasses import dataclass

from markupsafe import Markup, escape

from bassin_cms.i18n import _


@dataclass(frozen=True)
class Series:
    key: str  # the figure's key in statistics.services.report() rows
    action: str  # the counted action (statistics.services.ACTIONS)
    title: str
    colour: str  # at least 3:1 against white (WCAG 1.4.11)


SERIES = (
    Series("views", "view", _("Consultations"), "#1f5f7a"),
    Series("downloads", "download", _("Téléchargements"), "#a4551b"),
)
CHART_WIDTH = 640
FONT_SIZE = 14  # SVG units: 14 px at full width, about 12 on the narrowest admin column


def top(rows):
    """The largest figure of the rows, any series: every bar is a share of it,
    so that a row's two bars compare."""
    return max([row[s.key] for row in rows for s in SERIES] + [1])


def share(value, largest):
    """A bar's width, as CSS: "42.5%"."""
    return f"{100 * value / largest:.1f}%" if value else "0"


def columns(days, translate=str, height=160):
    """days: [(label, {"view": n, "download": n})] in time order; one column a
    day, the downloads stacked on the views."""
    days = list(days)
    largest = max([sum(counts.get(s.action, 0) for s in SERIES) for _label, counts in days] + [1])
    left, bottom = 44, 24
    width = max(1, (CHART_WIDTH - left) // max(1, len(days)))
    plot = height - bottom
    parts = [
        f'<svg class="chart" aria-hidden="true" focusable="false" width="{CHART_WIDTH}" height="{height}" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="{left - 6}" y="{FONT_SIZE}" font-size="{FONT_SIZE}" text-anchor="end">{largest}</text>',
        f'<text x="{left - 6}" y="{plot}" font-size="{FONT_SIZE}" text-anchor="end">0</text>',
        f'<line x1="{left}" y1="{plot + 0.5}" x2="{CHART_WIDTH}" y2="{plot + 0.5}" stroke="#5f6b73"/>',
    ]
    for index, (label, counts) in enumerate(days):
        base = plot
        for series in SERIES:
            value = counts.get(series.action, 0)
            bar = round((plot - FONT_SIZE) * value / largest) if value else 0
            if not bar:
                continue
            base -= bar
            parts.append(
                f'<rect x="{left + index * width}" y="{base}" width="{max(1, width - 1)}" height="{bar}" '
                f'fill="{series.colour}"><title>{escape(label)} : {value} '
                f"{escape(translate(series.title)).lower()}</title></rect>"
            )
    if days:
        parts.append(
            f'<text x="{left}" y="{height - 4}" font-size="{FONT_SIZE}">{escape(days[0][0])}</text>'
            f'<text x="{CHART_WIDTH - 2}" y="{height - 4}" font-size="{FONT_SIZE}" text-anchor="end">'
            f"{escape(days[-1][0])}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
