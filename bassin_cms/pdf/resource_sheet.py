"""The printable one-page sheet of a resource (/r/<id>/fiche.pdf): what it is,
for whom, under which licence, its first page and a QR code of its permanent
link, so that a printed sheet leads back to the resource."""

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .common import AGENCY, footer, para_text, qr_drawing, styles


def resource_sheet(sheet):
    """PDF bytes. ``sheet``: {"title", "kind", "date", "summary", "audiences",
    "themes", "territories", "levels", "subjects", "duration", "licence",
    "publisher", "permalink", "thumbnail" (a path or None), "files": [text]}."""
    s = styles()
    rows = [
        (label, value)
        for label, value in (
            ("Type", sheet["kind"]),
            ("Date", sheet["date"]),
            ("Éditeur", sheet["publisher"]),
            ("Publics", ", ".join(sheet["audiences"])),
            ("Niveaux", ", ".join(sheet["levels"])),
            ("Disciplines", ", ".join(sheet["subjects"])),
            ("Durée / format", sheet["duration"]),
            ("Thèmes", ", ".join(sheet["themes"])),
            ("Territoires", ", ".join(sheet["territories"])),
            ("Licence", sheet["licence"] or "Non précisée : demander à la Mission Bassin Minier"),
            ("Fichiers", " ; ".join(sheet["files"])),
        )
        if value
    ]
    metadata = Table(
        [[Paragraph(para_text(label), s["label"]), Paragraph(para_text(value), s["small"])] for label, value in rows],
        colWidths=[3 * cm, 8.5 * cm],
    )
    metadata.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    side = []
    if sheet.get("thumbnail"):
        image = Image(sheet["thumbnail"])
        ratio = image.imageHeight / float(image.imageWidth or 1)
        image.drawWidth, image.drawHeight = 4.5 * cm, min(6.5 * cm, 4.5 * cm * ratio)
        side += [image, Spacer(1, 0.4 * cm)]
    side += [qr_drawing(sheet["permalink"], 3.2 * cm), Paragraph(para_text(sheet["permalink"]), s["small"])]
    body = Table([[metadata, side]], colWidths=[12 * cm, 5 * cm])
    body.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    summary = sheet["summary"]
    if len(summary) > 1400:  # one page: the sheet is a notice, not the document
        summary = summary[:1400].rsplit(" ", 1)[0] + " […]"
    story = [Paragraph(para_text(sheet["title"]), s["title"])]
    if summary:
        story.append(Paragraph(para_text(summary), s["body"]))
    story += [Spacer(1, 0.4 * cm), body]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=sheet["title"],
        author=AGENCY,
        subject="Fiche ressource",
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.8 * cm,
        bottomMargin=2 * cm,
    )
    document.build(story, onFirstPage=footer("fiche ressource"), onLaterPages=footer("fiche ressource"))
    return buffer.getvalue()
