"""Lay out a plain-text report (as extracted from the agency's PDFs) as an A4 PDF.

Headings come as markdown-like lines ("# Title", "**Title**"); blank lines separate
paragraphs; pages are numbered. Used to turn ../shared/seeds into real PDF files.
"""

import re
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

_HEADING_RE = re.compile(r"^(#{1,4})\s+(.*)$")
_BOLD_LINE_RE = re.compile(r"^\*\*(.+?)\*\*$", re.S)
# Characters outside the standard PDF fonts' encoding would print as boxes.
_REPLACEMENTS = {"\u2009": " ", "\u202f": " ", "\u00a0": " ", "\u2011": "-", "\u2010": "-", "\t": "    "}


def _clean(text):
    for old, new in _REPLACEMENTS.items():
        text = text.replace(old, new)
    return text


def _styles():
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", parent=base["Title"], fontSize=24, leading=30, spaceAfter=18),
        "subtitle": ParagraphStyle("subtitle", parent=base["Normal"], fontSize=13, leading=18, alignment=TA_CENTER),
        "h1": ParagraphStyle("h1", parent=base["Heading1"], fontSize=16, leading=20, spaceBefore=12),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontSize=13, leading=17, spaceBefore=10),
        "body": ParagraphStyle("body", parent=base["BodyText"], fontSize=10, leading=14, spaceAfter=6),
    }


def blocks(text):
    """Split text into (style, text) blocks."""
    out = []
    for block in re.split(r"\n\s*\n", _clean(text)):
        block = block.strip("\n")
        if not block.strip():
            continue
        first = block.strip()
        heading = _HEADING_RE.match(first)
        bold = _BOLD_LINE_RE.match(first)
        if heading and "\n" not in first:
            out.append(("h1" if len(heading.group(1)) <= 1 else "h2", heading.group(2).strip()))
        elif bold and len(first) < 200:
            out.append(("h2", " ".join(bold.group(1).split())))
        else:
            out.append(("body", " ".join(line.strip() for line in block.splitlines())))
    return out


def inline_markup(escaped):
    """The reports' inline marks as ReportLab's: **bold**, *italic*, ^{exponent}
    (1^{ère}); an unmatched mark stays as typed."""
    escaped = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escaped)
    escaped = re.sub(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", escaped)
    return re.sub(r"\^\{([^{}]{1,20})\}", r"<super>\1</super>", escaped)


def _page_number(canvas, doc):
    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, f"{doc.title} — page {doc.page}")
    canvas.restoreState()


def text_to_pdf(text, path, title, subtitle="", author=""):
    styles = _styles()
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        title=title,
        author=author,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    story = [Spacer(1, 6 * cm), Paragraph(escape(title), styles["title"])]
    if subtitle:
        story.append(Paragraph(escape(subtitle), styles["subtitle"]))
    story.append(PageBreak())
    for style, content in blocks(text):
        story.append(Paragraph(inline_markup(escape(content)), styles[style]))
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return path
