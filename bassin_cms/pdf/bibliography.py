"""The bibliography of a selection: each resource with its title, date,
publisher, summary, licence and permanent link."""

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

from .common import AGENCY, footer, para_text, styles


def bibliography(entries, left_out=0):
    """PDF bytes. ``entries``: [{"title", "citation" (content.text.citation),
    "summary", "licence", "permalink"}]; each reference as French libraries
    write it (ISO 690)."""
    s = styles()
    title = "Bibliographie de ma sélection"
    story = [
        Paragraph(title, s["title"]),
        Paragraph(para_text(f"{AGENCY} — centre de ressources. {len(entries)} ressource(s)."), s["body"]),
    ]
    if left_out:
        story.append(
            Paragraph(
                para_text(
                    f"{left_out} ressource(s) de la sélection ne sont plus disponibles et ont été laissées de côté."
                ),
                s["body"],
            )
        )
    for number, entry in enumerate(entries, 1):
        summary = (
            entry["summary"] if len(entry["summary"]) <= 900 else entry["summary"][:900].rsplit(" ", 1)[0] + " […]"
        )
        cited = entry["citation"]
        reference = (
            f"{para_text(cited['authors'])}. " if cited["authors"] else ""
        ) + f"<i>{para_text(cited['title'])}</i> {para_text(cited['after_title'])}"
        block = [
            Paragraph(f"{number}. {para_text(entry['title'])}", s["h2"]),
            Paragraph(reference, s["body"]),
        ]
        if summary:
            block.append(Paragraph(para_text(summary), s["body"]))
        block += [
            Paragraph(f"<b>Licence :</b> {para_text(entry['licence'] or 'non précisée')}", s["small"]),
            Paragraph(
                f'<b>Lien permanent :</b> <link href="{para_text(entry["permalink"])}">'
                f"{para_text(entry['permalink'])}</link>",
                s["small"],
            ),
            Spacer(1, 0.2 * cm),
        ]
        story.append(KeepTogether(block))
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
