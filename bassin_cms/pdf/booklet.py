"""A booklet: cover, contents with page numbers, then sections (a guide's
chapters, a dossier's articles with their verbatims and credited images), then
appendices (contacts, cited resources). Page numbers on every page."""

import html
import io
import re

from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    Image,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus.tableofcontents import TableOfContents

from .common import ACCENT, AGENCY, INK, footer, para_text, qr_drawing, styles

_BLOCK_RE = re.compile(r"<(p|h[1-6]|li|blockquote|figcaption|td|th)\b[^>]*>(.*?)</\1>", re.S | re.I)


def html_blocks(markup):
    """Sanitised HTML -> [(kind, plain text)], kind "heading", "item" or "text"."""
    out = []
    for tag, inner in _BLOCK_RE.findall(markup or ""):
        text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<br\s*/?>", "\n", inner)))
        text = " ".join(text.split())
        if text:
            tag = tag.lower()
            out.append(("heading" if tag[0] == "h" and tag != "th" else "item" if tag == "li" else "text", text))
    if not out and markup:
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())
        if text:
            out.append(("text", text))
    return out


class _Booklet(BaseDocTemplate):
    """Reports each section heading to the table of contents."""

    def beforeDocument(self):
        self._sections = 0  # the same keys on every pass, or the contents never settle

    def afterFlowable(self, flowable):
        if isinstance(flowable, Paragraph) and flowable.style.name == "section":
            self._sections += 1
            key = f"s{self._sections}"
            self.canv.bookmarkPage(key)
            plain = flowable.getPlainText()
            self.canv.addOutlineEntry(plain, key, level=0)  # the outline is plain text
            # The contents are Paragraph markup again: the title's "<" must stay text
            # (an unescaped "<img src=…>" embedded a server file, "a<b" gave a 500).
            self.notify("TOCEntry", (0, para_text(plain), self.page, key))


def _image(path, max_width, max_height):
    """The picture scaled to fit, or None if it cannot be read (its caption
    is still printed: a damaged file must not break the whole PDF)."""
    try:
        with PILImage.open(path) as check:
            check.verify()
            width, height = check.size
    except Exception:
        return None
    scale = min(max_width / width, max_height / height, 1.0)
    return Image(path, width=width * scale, height=height * scale)


def booklet(data):
    """PDF bytes. ``data``: {"title", "kind", "subtitle", "facts": [str], "summary",
    "permalink", "notice", "section_break": bool, "sections": [{"title", "byline",
    "summary", "html", "quotes": [{"text", "speaker"}], "images": [{"path",
    "caption", "credit"}]}], "appendices": [{"title", "entries": [[line]]}]}."""
    s = styles()
    section = ParagraphStyle("section", parent=s["title"], fontSize=16, leading=20, spaceBefore=6, spaceAfter=6)
    quote = ParagraphStyle(
        "quote",
        parent=s["body"],
        leftIndent=0.8 * cm,
        rightIndent=0.8 * cm,
        fontName="Helvetica-Oblique",
        textColor=INK,
        spaceBefore=4,
    )
    caption = ParagraphStyle("caption", parent=s["small"], textColor=colors.HexColor("#3d4c54"))
    width, height = A4[0] - 4 * cm, A4[1] - 4.5 * cm

    story = [
        Spacer(1, 3 * cm),
        Paragraph(para_text(data.get("kind", "")), s["label"]),
        Paragraph(para_text(data["title"]), s["title"]),
    ]
    if data.get("subtitle"):
        story.append(Paragraph(para_text(data["subtitle"]), s["h2"]))
    for fact in data.get("facts", []):
        story.append(Paragraph(para_text(fact), s["body"]))
    if data.get("summary"):
        story += [Spacer(1, 0.5 * cm), Paragraph(para_text(data["summary"]), s["body"])]
    if data.get("notice"):
        story += [Spacer(1, 0.5 * cm), Paragraph(para_text(data["notice"]), s["small"])]
    story += [
        Spacer(1, 1 * cm),
        qr_drawing(data["permalink"], 3 * cm),
        Paragraph(para_text(data["permalink"]), s["small"]),
        PageBreak(),
    ]

    toc = TableOfContents()
    toc.levelStyles = [ParagraphStyle("toc", parent=s["body"], fontSize=10.5, leading=15)]
    story += [Paragraph("Sommaire", s["h2"]), toc, PageBreak()]

    for number, part in enumerate(data.get("sections", [])):
        if number and data.get("section_break"):
            story.append(PageBreak())
        story.append(Paragraph(para_text(part["title"]), section))
        if part.get("byline"):
            story.append(Paragraph(para_text(part["byline"]), s["label"]))
        if part.get("summary"):
            story.append(Paragraph(f"<b>{para_text(part['summary'])}</b>", s["body"]))
        for kind, text in html_blocks(part.get("html", "")):
            style = s["h2"] if kind == "heading" else s["body"]
            story.append(Paragraph(("• " if kind == "item" else "") + para_text(text), style))
        for q in part.get("quotes", []):
            story.append(
                KeepTogether(
                    [
                        Paragraph(f"« {para_text(q['text'])} »", quote),
                        Paragraph(
                            f"— {para_text(q['speaker'])}",
                            ParagraphStyle("speaker", parent=s["small"], leftIndent=0.8 * cm, textColor=ACCENT),
                        ),
                    ]
                )
            )
        for picture in part.get("images", []):
            flowable = _image(picture["path"], width, height * 0.55)
            legend = " ".join(
                x
                for x in (
                    para_text(picture.get("caption")),
                    f"© {para_text(picture['credit'])}" if picture.get("credit") else "",
                )
                if x
            )
            block = ([flowable] if flowable is not None else []) + [Paragraph(legend, caption), Spacer(1, 0.3 * cm)]
            story.append(KeepTogether(block))
        story.append(Spacer(1, 0.4 * cm))

    for appendix in data.get("appendices", []):
        if not appendix["entries"]:
            continue
        story += [PageBreak(), Paragraph(para_text(appendix["title"]), section)]
        for lines in appendix["entries"]:
            story.append(
                KeepTogether(
                    [Paragraph("<br/>".join(para_text(line) for line in lines), s["body"]), Spacer(1, 0.2 * cm)]
                )
            )

    buffer = io.BytesIO()
    document = _Booklet(
        buffer,
        pagesize=A4,
        title=data["title"],
        author=AGENCY,
        subject=data.get("kind", ""),
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2.5 * cm,
    )
    frame = Frame(document.leftMargin, document.bottomMargin, document.width, document.height, id="body")
    document.addPageTemplates([PageTemplate("page", [frame], onPage=footer(data["title"]))])
    document.multiBuild(story)
    return buffer.getvalue()
