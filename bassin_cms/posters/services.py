"""Generating a poster from an index: the entries that name a territory, laid
out by ReportLab, saved as a draft Poster resource ready for validation."""

import datetime as dt
import io

from bassin_cms.content.text import slugify
from bassin_cms.i18n import Refusal, _
from bassin_cms.pdf.poster import poster as poster_pdf

from .models import PAPER_SIZES_MM, PosterResource


class PosterError(Refusal):
    """The poster cannot be generated; the message is for the editor."""


def poster_data(request, poster, index, territory, entries):
    width, height = poster.size_mm()
    columns = index.columns
    today = dt.date.today().strftime("%d/%m/%Y")
    return {
        "title": poster.title,
        "territory": territory.display(),
        "subtitle": f"{len(entries)} {index.entry_label.lower()}{'s' if len(entries) > 1 else ''}",
        "width_mm": width,
        "height_mm": height,
        "columns": [c["label"] for c in columns],
        "rows": [e.display_cells(columns) for e in entries],
        "credits": f"Mission Bassin Minier Nord-Pas de Calais — d'après l'index « {index.title} », état au {today}. "
        "Bassin minier du Nord-Pas de Calais, inscrit au Patrimoine mondial de l'UNESCO.",
        "permalink": request.route_url("shortlink", shortid=poster.shortid, rest=()),
    }


class PosterService:
    def __init__(self, request):
        self.request = request

    def generate(self, index, territory, folder, *, title="", paper="A1", orientation="portrait"):
        """A new draft PosterResource in ``folder`` with its PDF attached."""
        request = self.request
        if paper not in PAPER_SIZES_MM:
            raise PosterError(_("Format inconnu."))
        entries = request.index_service.entries_in_territory(index, request.vocabulary_service.names_within(territory))
        if not entries:
            raise PosterError(
                _(
                    "Aucune entrée de l'index ne mentionne « ${territory} » ni l'une de ses "
                    "communes : choisissez un autre territoire.",
                    mapping={"territory": territory.display()},
                )
            )
        title = (title or "").strip() or f"{index.title} — {territory.acronym or territory.label}"
        poster = request.content_service.create(
            folder, PosterResource, title=title, creator_id=request.user.id if request.user else None
        )
        poster.paper, poster.orientation = paper, orientation
        poster.source_index_id, poster.source_territory = index.id, territory
        themes = [t.id for t in index.terms_of("theme")]
        request.content_service.apply_metadata(
            poster,
            {
                "summary": f"Affiche générée depuis l'index « {index.title} » : les {len(entries)} entrées "
                f"qui concernent {territory.display()}.",
                "kind": getattr(request.vocabulary_service.by_code("kind", "poster"), "id", None),
                "themes": themes,
                "territories": [territory.id],
                "publisher": index.publisher,
                "rights": index.rights,
                "date": (dt.date.today().year, dt.date.today().month, None),
            },
        )
        pdf = poster_pdf(poster_data(request, poster, index, territory, entries))
        request.file_service.attach(poster, io.BytesIO(pdf), f"affiche-{slugify(title, 60)}.pdf", role="main")
        return poster, len(entries)
