"""The names the code and the templates share, each defined once: site
roles, workflow states and permissions. StrEnums, so that a value compares
equal to its text where it is stored (users.role, nodes.state) or spoken by
Pyramid (view_config permissions, ACL entries)."""

from enum import StrEnum


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    REVIEWER = "reviewer"
    EDITOR = "editor"
    PARTNER = "partner"
    # Outside the chain below: the press gallery's reader, for a limited time
    # (User.role_ends); includes no other role and is included in none.
    JOURNALIST = "journalist"


# Each role includes the ones after it: an administrator can do what a
# reviewer can, a reviewer what an editor can, an editor what a partner can.
ROLES = (Role.ADMINISTRATOR, Role.REVIEWER, Role.EDITOR, Role.PARTNER)
# Every role an account may hold on the whole site.
SITE_ROLES = ROLES + (Role.JOURNALIST,)
# The roles a folder's Partage page (or `bassin-cms grant`) may give.
LOCAL_ROLES = (Role.REVIEWER, Role.EDITOR, Role.PARTNER)
# Who sees every node in every state, and may edit.
STAFF_ROLES = (Role.ADMINISTRATOR, Role.REVIEWER, Role.EDITOR)
EDITING_ROLES = frozenset(STAFF_ROLES)


def role_principal(role):
    """The principal of a site role ("role:editor"): what the security policy
    gives a user, the ACLs allow, and the search index's tokens name."""
    return f"role:{role}"


# Not a site role: the creator of a node, while their role allows editing.
OWNER = "owner"
OWNER_PRINCIPAL = role_principal(OWNER)


class State(StrEnum):
    DRAFT = "draft"
    PENDING = "pending"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Permission(StrEnum):
    VIEW = "view"  # the page of a node (for a reserved resource, its notice)
    VIEW_FULL = "view_full"  # its body, files, thumbnails and downloads
    VIEW_HISTORY = "view_history"
    ADD = "add"
    EDIT = "edit"
    DELETE = "delete"
    SUBMIT = "submit"
    PUBLISH = "publish"
    SEND_BACK = "send_back"
    RETRACT = "retract"
    ARCHIVE = "archive"
    RESTORE = "restore"
    REVIEW = "review"  # the review queue (each reviewer sees their part)
    OWN_CONTENT = "own_content"  # "Mes contenus": what one created or may review
    EDIT_CONTACTS = "edit_contacts"  # the contact bodies shared by guides
    CHECK_LINKS = "check_links"  # the guides' cited resources that went away
    MANAGE_PRESS = "manage_press"  # journalists' requests, press links, the download log
    MANAGE = "manage"  # administration
