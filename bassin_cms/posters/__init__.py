"""The Poster kind: large-format prints, their print-quality PDF and web
preview, and the generator that lays out a poster from an index for one
territory (a draft, ready for validation)."""

from bassin_cms.content.registry import ContentType
from bassin_cms.i18n import _

from .models import PosterResource
from .schemas import apply_poster, poster_appstruct, poster_schema
from .services import PosterError, PosterService

__all__ = ["PosterError", "PosterResource", "PosterService"]


def includeme(config):
    config.add_request_method(lambda r: PosterService(r), "poster_service", reify=True)
    config.add_content_type(
        ContentType(
            name="poster",
            cls=PosterResource,
            title=_("Affiche"),
            schema=poster_schema,
            addable_to=("folder",),
            apply=apply_poster,
            appstruct=poster_appstruct,
            description=_("Grand format imprimé (A0-A3) : PDF pour l'impression, aperçu en ligne, tirage."),
        )
    )
    config.scan(".views")
