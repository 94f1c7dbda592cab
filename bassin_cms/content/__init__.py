"""The node tree, resource kinds, vocabularies and the pages that show them."""

from bassin_cms.i18n import _

from .models import Document, Folder
from .registry import ContentType, add_content_type
from .schemas import document_schema, folder_schema
from .security import AdminContext
from .services import ContentService
from .vocabularies import VocabularyService


def root_factory(request):
    root = request.content_service.root()
    if root is None:
        raise RuntimeError("The site has no root folder: run `bassin-cms initdb` first.")
    return root


def includeme(config):
    config.add_directive("add_content_type", add_content_type)
    config.add_request_method(lambda r: ContentService(r.dbsession), "content_service", reify=True)
    config.add_request_method(lambda r: VocabularyService(r.dbsession), "vocabulary_service", reify=True)
    config.set_root_factory(root_factory)

    config.add_content_type(
        ContentType(
            name="folder",
            cls=Folder,
            # Not "Dossier": the kind "Dossier de revue" (the D'A dossier) sits
            # beside it in the add buttons.
            title=_("Rubrique"),
            schema=folder_schema,
            addable_to=("folder",),
            is_resource=False,
        )
    )
    config.add_content_type(
        ContentType(
            name="document",
            cls=Document,
            title=_("Document"),
            schema=document_schema,
            addable_to=("folder",),
            description=_("Étude, rapport, plaquette, dossier de presse, lien vers une vidéo..."),
        )
    )

    config.add_route("home", "/", static=True)
    config.add_route("shortlink", "/r/{shortid}*rest")
    config.add_route("admin_home", "/admin", factory=AdminContext)
    config.add_route("admin_vocabularies", "/admin/vocabularies", factory=AdminContext)
    config.add_route("admin_term_add", "/admin/vocabularies/{vocabulary}/add", factory=AdminContext)
    config.add_route("admin_term", "/admin/vocabularies/{vocabulary}/{term_id:\\d+}", factory=AdminContext)
    config.add_route("admin_vocabulary", "/admin/vocabularies/{vocabulary}", factory=AdminContext)
    config.scan(".views")
    config.scan(".admin_views")
