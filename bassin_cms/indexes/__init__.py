"""The Index kind: a table of entries (number, name, communes, EPCI...) edited
as a table, imported from and exported to CSV, printed as a PDF, each entry
findable in search on its own."""

from bassin_cms.content.registry import ContentType
from bassin_cms.i18n import _

from .models import IndexEntry, IndexResource
from .schemas import apply_index, index_appstruct, index_schema
from .services import IndexService

__all__ = ["IndexEntry", "IndexResource", "IndexService"]


def includeme(config):
    config.add_request_method(lambda r: IndexService(r.dbsession), "index_service", reify=True)
    config.add_content_type(
        ContentType(
            name="index",
            cls=IndexResource,
            title=_("Index"),
            schema=index_schema,
            addable_to=("folder",),
            apply=apply_index,
            appstruct=index_appstruct,
            description=_("Liste structurée d'entrées (terrils classés, éléments inscrits...) éditée en tableau."),
        )
    )
    config.scan(".views")
