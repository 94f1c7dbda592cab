"""The Guide kind (cahier technique): editions, chapters with a table of
contents, cited resources checked for editors, contact bodies shared between
guides, and a printable version."""

from pyramid.authorization import DENY_ALL, Allow

from bassin_cms.content.registry import ContentType
from bassin_cms.i18n import _
from bassin_cms.names import Permission, Role, role_principal

from .models import Contact, GuideChapter, GuideEdition, GuideLink, GuideResource
from .schemas import apply_guide, guide_appstruct, guide_schema
from .services import GuideRuleError, GuideService

__all__ = ["Contact", "GuideChapter", "GuideEdition", "GuideLink", "GuideResource", "GuideRuleError", "GuideService"]


class StaffContext:
    """Context of the contacts and links-to-check pages: whoever writes guides."""

    __acl__ = [(Allow, role_principal(Role.EDITOR), (Permission.EDIT_CONTACTS, Permission.CHECK_LINKS)), DENY_ALL]

    def __init__(self, request):
        self.request = request


def includeme(config):
    config.add_request_method(lambda r: GuideService(r), "guide_service", reify=True)
    config.add_content_type(
        ContentType(
            name="guide",
            cls=GuideResource,
            title=_("Guide"),
            schema=guide_schema,
            addable_to=("folder",),
            apply=apply_guide,
            appstruct=guide_appstruct,
            description=_("Cahier technique ou guide : éditions successives, chapitres, ressources citées, contacts."),
        )
    )
    config.add_route("admin_contacts", "/admin/contacts", factory=StaffContext)
    config.add_route("admin_contact_add", "/admin/contacts/add", factory=StaffContext)
    config.add_route("admin_contact", "/admin/contacts/{contact_id:\\d+}", factory=StaffContext)
    config.add_route("links_to_check", "/admin/liens-a-verifier", factory=StaffContext)
    config.scan(".views")
