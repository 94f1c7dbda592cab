"""The yearly statistics report (for the agency's activity report): totals, the
downloads month by month, the most consulted resources, and the same charts as
the administrators' page, per kind, theme and audience."""

import io

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .common import ACCENT, AGENCY, footer, para_text, styles

MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
GROUP_TITLES = {"kind": "Par type de ressource", "theme": "Par thème", "audience": "Par public"}


def _bars(items, width=16 * cm):
    items = items[:12]
    height = max(2 * cm, 0.6 * cm * len(items) + 1 * cm)
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 6.5 * cm, 0.5 * cm, width - 7.5 * cm, height - 1 * cm
    chart.data = [[value for _label, value in reversed(items)] or [0]]
    chart.categoryAxis.categoryNames = [label[:45] for label, _value in reversed(items)] or [""]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = ACCENT
    chart.barLabelFormat = "%d"
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 8
    drawing.add(chart)
    return drawing


def _months(values, width=16 * cm, height=5 * cm):
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 1 * cm, 0.8 * cm, width - 1.5 * cm, height - 1.2 * cm
    chart.data = [values]
    chart.categoryAxis.categoryNames = MONTHS
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = ACCENT
    drawing.add(chart)
    return drawing


def yearly_report(year, totals, figures, monthly_downloads):
    """PDF bytes. ``figures`` is statistics.services.report()."""
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
        Paragraph("Téléchargements par mois", s["h2"]),
        _months(monthly_downloads),
    ]
    top = figures["resources"][:20]
    story += [
        Paragraph("Ressources les plus consultées", s["h2"]),
        _bars([(r["title"], r["views"] + r["downloads"]) for r in top]),
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
                    _bars([(r["label"], r["views"] + r["downloads"]) for r in rows]),
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
