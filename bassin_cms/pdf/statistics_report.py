"""The yearly statistics report (for the agency's activity report): totals, the
downloads month by month, the most consulted resources, and the same charts as
the administrators' page, per kind, theme and audience."""

import io

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .common import ACCENT, AGENCY, fit, footer, para_text, styles

MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
GROUP_TITLES = {"kind": "Par type de ressource", "theme": "Par thème", "audience": "Par public"}


FONT_SIZE = 8.5
LEGEND_HEIGHT = 0.7 * cm


def _legend(drawing, y, series):
    """The two series' colours and names, above a chart."""
    legend = Legend()
    legend.x, legend.y = 0, y
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.fontName, legend.fontSize = "Helvetica", FONT_SIZE
    legend.dx = legend.dy = 7
    legend.deltax = 3.5 * cm
    legend.colorNamePairs = [(HexColor(one.colour), str(one.title)) for one in series]
    drawing.add(legend)


def _style(chart, series):
    """Views and downloads side by side, in their colours, never added up."""
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = FONT_SIZE
    chart.categoryAxis.labels.fontSize = FONT_SIZE
    for index, one in enumerate(series):
        chart.bars[index].fillColor = HexColor(one.colour)
        chart.bars[index].strokeColor = None


def _bars(rows, label, series, width=16 * cm):
    """One pair of bars (views, downloads) per row, its figures written after."""
    rows = rows[:12]
    height = max(2.5 * cm, 0.8 * cm * len(rows) + 1 * cm) + LEGEND_HEIGHT
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 6.5 * cm, 0.5 * cm
    chart.width, chart.height = width - 7.5 * cm, height - 1 * cm - LEGEND_HEIGHT
    # A horizontal chart stacks its series upwards: reversed, views come first.
    drawn = list(reversed(series))
    chart.data = [[row[one.key] for row in reversed(rows)] or [0] for one in drawn]
    names = [fit(row[label], 6 * cm, "Helvetica", FONT_SIZE) for row in reversed(rows)]
    chart.categoryAxis.categoryNames = names or [""]
    _style(chart, drawn)
    chart.barLabelFormat = "%d"
    chart.barLabels.fontSize = FONT_SIZE
    chart.barLabels.nudge = 8
    drawing.add(chart)
    _legend(drawing, height - 0.2 * cm, series)
    return drawing


def _months(months, series, width=16 * cm, height=5.5 * cm):
    """months: twelve {"view": n, "download": n}."""
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 1 * cm, 0.8 * cm
    chart.width, chart.height = width - 1.5 * cm, height - 1.2 * cm - LEGEND_HEIGHT
    chart.data = [[month.get(one.action, 0) for month in months] for one in series]
    chart.categoryAxis.categoryNames = MONTHS
    _style(chart, series)
    drawing.add(chart)
    _legend(drawing, height - 0.2 * cm, series)
    return drawing


def yearly_report(year, totals, figures, months, series):
    """PDF bytes. ``figures`` is statistics.services.report(); ``series`` the
    figures drawn (statistics.charts.SERIES: key, action, title, colour)."""
    s = styles()
    title = f"Statistiques du centre de ressources — {year}"
    story = [
        Paragraph(para_text(title), s["title"]),
        Paragraph(
            para_text(
                f"{AGENCY}. Consultations des fiches et téléchargements de fichiers, comptés sans "
                "cookie ni adresse IP conservée, robots exclus."
            ),
            s["body"],
        ),
        Spacer(1, 0.3 * cm),
        Paragraph(para_text(f"Consultations : {totals['view']} — téléchargements : {totals['download']}"), s["h2"]),
        Paragraph("Mois par mois", s["h2"]),
        _months(months, series),
    ]
    top = figures["resources"][:20]
    story += [
        Paragraph("Ressources les plus consultées", s["h2"]),
        _bars(top, "title", series),
    ]
    rows = [["Ressource", "Consultations", "Téléchargements"]] + [
        [Paragraph(para_text(r["title"]), s["small"]), r["views"], r["downloads"]] for r in top
    ]
    table = Table(rows, colWidths=[11 * cm, 2.5 * cm, 3 * cm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
                ("FONTSIZE", (0, 1), (-1, -1), 8.5),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ]
        )
    )
    story.append(table)
    for name, rows in figures["groups"].items():
        story.append(
            KeepTogether(
                [
                    Paragraph(GROUP_TITLES[name], s["h2"]),
                    _bars(rows, "label", series),
                ]
            )
        )
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author=AGENCY,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    document.build(story, onFirstPage=footer(title), onLaterPages=footer(title))
    return buffer.getvalue()
