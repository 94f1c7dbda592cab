"""A poster generated from an index: a title band, the territory, the entries
as cards (or a table when there are many), the credits and the permanent link
as a QR code, all on one page of the chosen size. Type sizes follow the paper
width; when the entries do not fit, the type is made smaller until they do."""

import io

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, KeepInFrame, Paragraph, Spacer, Table, TableStyle

from .common import ACCENT, AGENCY, INK, para_text, qr_drawing

A4_WIDTH_MM = 210
CARDS_UP_TO = 60


def _styles(scale):
    def style(name, size, **kw):
        return ParagraphStyle(
            name,
            fontName=kw.pop("font", "Helvetica"),
            fontSize=size * scale,
            leading=size * scale * 1.25,
            textColor=kw.pop("color", INK),
            **kw,
        )

    return {
        "card_title": style("card_title", 11, font="Helvetica-Bold", color=ACCENT),
        "card": style("card", 8.5),
        "cell": style("cell", 8),
        "credits": style("credits", 7.5),
    }


def _entries_flowable(data, styles, columns_across, width):
    labels = data["columns"]
    if len(data["rows"]) > CARDS_UP_TO:
        header = [Paragraph(f"<b>{para_text(label)}</b>", styles["cell"]) for label in labels]
        rows = [[Paragraph(para_text(v), styles["cell"]) for v in row] for row in data["rows"]]
        table = Table([header] + rows, colWidths=[width / len(labels)] * len(labels), repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, 0), 1, ACCENT),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f5f6")]),
                ]
            )
        )
        return table
    cards = []
    for row in data["rows"]:
        title = " — ".join(para_text(v) for v in row[:2] if v)
        lines = [
            f"<b>{para_text(label)} :</b> {para_text(value)}"
            for label, value in zip(labels[2:], row[2:], strict=False)
            if value
        ]
        cards.append([Paragraph(title, styles["card_title"])] + [Paragraph(line, styles["card"]) for line in lines])
    grid = [cards[i : i + columns_across] for i in range(0, len(cards), columns_across)]
    if grid:
        grid[-1] += [""] * (columns_across - len(grid[-1]))
    table = Table(grid or [[""]], colWidths=[width / columns_across] * columns_across)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#c9d3d8")),
                ("INNERGRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#c9d3d8")),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


MAX_GROWTH = 4.0  # type at most 4 times its base size (a few entries on an A0)


def _largest_fitting(data, scale, width, height):
    """(columns, styles, flowable) of the largest type with which the entries
    fill the body and still fit it: for each number of columns (1 to 5, no more
    than the cards), the largest size that fits, by halving the interval
    (12 tries); the best size wins, fewer columns on a tie. Two cards on an A3
    fill the sheet instead of a corner of it."""
    cards = len(data["rows"])
    most = 1 if cards > CARDS_UP_TO else max(1, min(5, cards))
    best = None
    for columns in range(1, most + 1):
        low, high, fitting = 0.2, MAX_GROWTH, None
        for _try in range(12):
            size = (low + high) / 2
            styles = _styles(scale * size)
            flowable = _entries_flowable(data, styles, columns, width)
            _w, needed = flowable.wrap(width, height)
            if needed <= height:
                low, fitting = size, (size, columns, styles, flowable)
            else:
                high = size
        if fitting is None:  # even the smallest type does not fit: shrunk to fit by the frame
            styles = _styles(scale * 0.2)
            fitting = (0.2, columns, styles, _entries_flowable(data, styles, columns, width))
        if best is None or fitting[0] > best[0] * 1.02:
            best = fitting
    _size, columns, styles, flowable = best
    return columns, styles, flowable


def poster(data):
    """PDF bytes. ``data``: {"title", "territory", "subtitle", "width_mm",
    "height_mm", "columns": [label], "rows": [[text]], "credits", "permalink"}."""
    width, height = data["width_mm"] * mm, data["height_mm"] * mm
    scale = data["width_mm"] / A4_WIDTH_MM
    margin = 12 * mm * scale
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height))
    canvas.setTitle(data["title"])
    canvas.setAuthor(AGENCY)
    canvas.setSubject(f"Affiche — {data['territory']}")

    # Title band.
    band = 38 * mm * scale
    canvas.setFillColor(INK)
    canvas.rect(0, height - band, width, band, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    title_frame = Frame(
        margin,
        height - band,
        width - 2 * margin,
        band,
        showBoundary=0,
        leftPadding=0,
        rightPadding=0,
        topPadding=8 * mm * scale,
        bottomPadding=0,
    )
    title_style = ParagraphStyle(
        "t", fontName="Helvetica-Bold", fontSize=20 * scale, leading=24 * scale, textColor=colors.white
    )
    sub_style = ParagraphStyle(
        "s", fontName="Helvetica", fontSize=12 * scale, leading=15 * scale, textColor=colors.HexColor("#f0c987")
    )
    title_frame.addFromList(
        [
            KeepInFrame(
                width - 2 * margin,
                band - 8 * mm * scale,
                [
                    Paragraph(para_text(data["title"]), title_style),
                    Paragraph(
                        para_text(data["territory"] + (f" — {data['subtitle']}" if data.get("subtitle") else "")),
                        sub_style,
                    ),
                ],
                mode="shrink",
            )
        ],
        canvas,
    )

    # Footer: credits on the left, the QR code of the permanent link on the right.
    qr_size = 28 * mm * scale
    footer_height = qr_size + 6 * mm * scale
    qr = qr_drawing(data["permalink"], qr_size)
    qr.drawOn(canvas, width - margin - qr_size, margin)
    fine = _styles(scale)["credits"]
    credit_frame = Frame(
        margin,
        margin,
        width - 3 * margin - qr_size,
        footer_height,
        showBoundary=0,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    credit_frame.addFromList(
        [
            KeepInFrame(
                width - 3 * margin - qr_size,
                footer_height,
                [
                    Paragraph(para_text(data["credits"]), fine),
                    Paragraph(para_text(f"En ligne : {data['permalink']}"), fine),
                ],
                mode="shrink",
            )
        ],
        canvas,
    )

    # The entries, made smaller until they fit the page.
    body_top = height - band - 8 * mm * scale
    body_height = body_top - margin - footer_height - 6 * mm * scale
    body_width = width - 2 * margin
    columns_across, styles, flowable = _largest_fitting(data, scale, body_width, body_height)
    frame = Frame(
        margin,
        body_top - body_height,
        body_width,
        body_height,
        showBoundary=0,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    frame.addFromList([KeepInFrame(body_width, body_height, [flowable, Spacer(1, 1)], mode="shrink")], canvas)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
