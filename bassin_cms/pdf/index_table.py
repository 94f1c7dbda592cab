"""The printable index: a title page, then the entries as a table whose header
row is repeated on every page, with page numbers."""

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.platypus import (
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .common import ACCENT, AGENCY, footer, para_text, qr_drawing, styles


def index_table(data):
    """PDF bytes. ``data``: {"title", "summary", "date", "publisher", "permalink",
    "columns": [label], "numeric": [bool], "rows": [[text]], "entry_label"}."""
    s = styles()
    wide = len(data["columns"]) > 4
    pagesize = landscape(A4) if wide else A4
    story = [Spacer(1, 3 * cm), Paragraph(para_text(data["title"]), s["title"])]
    facts = " — ".join(x for x in (data.get("publisher"), data.get("date")) if x)
    if facts:
        story.append(Paragraph(para_text(facts), s["label"]))
    story.append(Paragraph(para_text(f"{len(data['rows'])} entrée(s)."), s["body"]))
    if data.get("summary"):
        story.append(Paragraph(para_text(data["summary"]), s["body"]))
    story += [
        Spacer(1, 1 * cm),
        qr_drawing(data["permalink"], 3 * cm),
        Paragraph(para_text(data["permalink"]), s["small"]),
        PageBreak(),
    ]

    cell = s["small"]
    header = [Paragraph(f"<b>{para_text(label)}</b>", cell) for label in data["columns"]]
    rows = [[Paragraph(para_text(text), cell) for text in row] for row in data["rows"]]
    width = pagesize[0] - 3 * cm
    # The first column (the number) is narrow, the name wider, the rest share.
    n = len(data["columns"])
    first = min(2.2 * cm, width / n)
    rest = (width - first) / max(1, n - 1)
    widths = [first] + [rest * (1.4 if i == 1 else 1) for i in range(1, n)]
    scale = width / sum(widths)
    table = Table([header] + rows, colWidths=[w * scale for w in widths], repeatRows=1)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dfe9ee")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f4f7f8")]),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    style += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i, numeric in enumerate(data["numeric"]) if numeric]
    table.setStyle(TableStyle(style))
    story.append(table if rows else Paragraph("Cet index ne contient encore aucune entrée.", s["body"]))

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        title=data["title"],
        author=AGENCY,
        subject="Index",
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=2 * cm,
    )
    document.build(story, onFirstPage=footer(data["title"]), onLaterPages=footer(data["title"]))
    return buffer.getvalue()
