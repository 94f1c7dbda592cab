"""The press gallery (photothèque): images as a resource kind seen by
journalists and staff only, their web derivatives and originals with IPTC/XMP,
journalists' access requests and role with an end date, time-limited links for
journalists without an account, ZIPs with CREDITS.txt, and the download log.
The press space's public page is ``press/``."""

from pyramid.authorization import DENY_ALL, Allow

from bassin_cms.content.registry import ContentType
from bassin_cms.i18n import _
from bassin_cms.names import Permission, Role, role_principal

from .models import ImageResource
from .schemas import apply_image, image_appstruct, image_schema
from .services import GalleryService, publish_problems

__all__ = ["ImageResource", "GalleryService"]


class PressStaffContext:
    """Context of the press desk's pages (requests, links, log): the staff."""

    __acl__ = [(Allow, role_principal(Role.EDITOR), (Permission.MANAGE_PRESS,)), DENY_ALL]

    def __init__(self, request):
        self.request = request


def includeme(config):
    config.add_request_method(lambda r: GalleryService(r), "gallery_service", reify=True)
    config.add_content_type(
        ContentType(
            name="image",
            cls=ImageResource,
            title=_("Image (photothèque presse)"),
            schema=image_schema,
            addable_to=("folder",),
            apply=apply_image,
            appstruct=image_appstruct,
            description=_(
                "Une photographie pour la presse : légende, crédit (obligatoire pour publier), texte alternatif, "
                "conditions d'utilisation. Visible des journalistes accrédités et de l'équipe."
            ),
            publish_check=publish_problems,
        )
    )
    config.add_route("gallery", "/presse/phototheque")
    config.add_route("gallery_zip", "/presse/phototheque/images.zip")
    config.add_route("press_access", "/presse/acces")
    config.add_route("press_password", "/presse/mot-de-passe/{token}")
    config.add_route("press_link", "/presse/lien/{token}")
    config.add_route("press_link_zip", "/presse/lien/{token}/images.zip")
    config.add_route("press_link_web", "/presse/lien/{token}/web/{image_id:\\d+}.jpg")
    config.add_route("press_link_original", "/presse/lien/{token}/original/{image_id:\\d+}")
    config.add_route("press_requests", "/admin/presse/demandes", factory=PressStaffContext)
    config.add_route("press_request", "/admin/presse/demandes/{request_id:\\d+}", factory=PressStaffContext)
    config.add_route("press_links", "/admin/presse/liens", factory=PressStaffContext)
    config.add_route("press_link_revoke", "/admin/presse/liens/{link_id:\\d+}/revoquer", factory=PressStaffContext)
    config.add_route("press_downloads", "/admin/presse/telechargements", factory=PressStaffContext)
    config.add_route("press_downloads_csv", "/admin/presse/telechargements.csv", factory=PressStaffContext)
    config.scan(".views")
