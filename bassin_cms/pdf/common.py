"""What every generated PDF shares: the agency's styles, a footer with the page
number, text made safe for ReportLab's paragraph markup and standard fonts."""

from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth

from .text_document import _clean

AGENCY = "Mission Bassin Minier Nord-Pas de Calais"
INK = colors.HexColor("#1f2a30")
ACCENT = colors.HexColor("#1f5f7a")


def styles():
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle(
            "title", parent=base["Title"], fontSize=20, leading=24, spaceAfter=10, textColor=INK, alignment=0
        ),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontSize=13, leading=16, spaceBefore=10, textColor=ACCENT),
        "body": ParagraphStyle("body", parent=base["BodyText"], fontSize=10, leading=13.5, spaceAfter=4),
        "small": ParagraphStyle("small", parent=base["BodyText"], fontSize=8.5, leading=11, textColor=INK),
        "label": ParagraphStyle(
            "label", parent=base["BodyText"], fontSize=8.5, leading=11, textColor=colors.HexColor("#4a5a62")
        ),
    }


def para_text(text):
    """Plain text for a Paragraph: escaped, odd spaces replaced."""
    return escape(_clean(text or ""), {'"': "&quot;"})  # also safe inside an attribute


def qr_drawing(url, size=3 * cm):
    widget = QrCodeWidget(url)
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(widget)
    return drawing


def fit(text, width, font, size):
    """``text`` cut at a word so that it fits ``width`` points, with "…"."""
    if stringWidth(text, font, size) <= width:
        return text
    words = text.split(" ")
    while len(words) > 1 and stringWidth(" ".join(words) + " …", font, size) > width:
        words.pop()
    return " ".join(words).rstrip(" ,;:—–-") + " …"


def footer(title):
    """An onPage callback: the agency, the document's title and the page number."""

    def draw(canvas, document):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(INK)
        number = f"Page {document.page}"
        room = document.pagesize[0] - document.leftMargin - document.rightMargin
        room -= stringWidth(number, "Helvetica", 8) + 0.8 * cm
        canvas.drawString(document.leftMargin, 1.2 * cm, fit(_clean(f"{AGENCY} — {title}"), room, "Helvetica", 8))
        canvas.drawRightString(document.pagesize[0] - document.rightMargin, 1.2 * cm, number)
        canvas.restoreState()

    return draw
