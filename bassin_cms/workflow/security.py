"""States, transitions, and the ACL each state gives a node.

Permissions:
  view         the page of a node (for a restricted resource, only its notice)
  view_full    its body, files, thumbnails and downloads
  view_history its workflow history
  add, edit, delete, submit, publish, send_back, retract, archive, restore
  review       the review queue; manage: administration
A node's ACL is checked first, then its folders' (Pyramid walks the lineage), then
the site ACL at the root.
"""

from dataclasses import dataclass

from pyramid.authorization import ALL_PERMISSIONS, DENY_ALL, Allow, Deny, Everyone

from bassin_cms.i18n import _
from bassin_cms.names import OWNER_PRINCIPAL, Permission, Role, State, role_principal

from .visibility import EVERYONE, PRESS_ROLES, aware, is_open, is_press_only, is_reserved, may, now

__all__ = ["aware", "now", "acl_for", "visible_to_public", "is_live", "public_status"]

DRAFT, PENDING, PUBLISHED, ARCHIVED = State.DRAFT, State.PENDING, State.PUBLISHED, State.ARCHIVED
# Labels are messages: the interface translates them (English in bassin_cms/locale).
STATES = {
    DRAFT: _("Brouillon"),
    PENDING: _("En validation"),
    PUBLISHED: _("Publié"),
    ARCHIVED: _("Archivé"),
}


@dataclass(frozen=True)
class Transition:
    name: str
    source: tuple
    target: str
    permission: str
    label: str  # a message, as on the button ("Publier")
    action: str  # the same, inside a sentence ("publier")
    done: str  # in the history ("publié")
    needs_comment: bool = False


TRANSITIONS = {
    t.name: t
    for t in (
        Transition(
            "submit",
            (DRAFT,),
            PENDING,
            "submit",
            _("Soumettre à validation"),
            _("soumettre à validation"),
            _("soumis à validation"),
        ),
        Transition("publish", (PENDING,), PUBLISHED, "publish", _("Publier"), _("publier"), _("publié")),
        Transition(
            "send_back",
            (PENDING,),
            DRAFT,
            "send_back",
            _("Renvoyer en brouillon"),
            _("renvoyer en brouillon"),
            _("renvoyé en brouillon"),
            needs_comment=True,
        ),
        Transition(
            "retract",
            (PUBLISHED,),
            DRAFT,
            "retract",
            _("Retirer de la publication"),
            _("retirer de la publication"),
            _("retiré de la publication"),
        ),
        Transition("archive", (PUBLISHED,), ARCHIVED, "archive", _("Archiver"), _("archiver"), _("archivé")),
        Transition(
            "restore",
            (ARCHIVED,),
            PUBLISHED,
            "restore",
            _("Restaurer (republier)"),
            _("restaurer (republier)"),
            _("restauré"),
        ),
    )
}

STAFF_READ = (Permission.VIEW, Permission.VIEW_FULL, Permission.VIEW_HISTORY)

SITE_ACL = [
    (Allow, role_principal(Role.ADMINISTRATOR), ALL_PERMISSIONS),
    (
        Allow,
        role_principal(Role.REVIEWER),
        STAFF_READ + (Permission.ADD, Permission.EDIT, Permission.DELETE, Permission.REVIEW),
    ),
    (Allow, role_principal(Role.EDITOR), STAFF_READ + (Permission.ADD, Permission.EDIT, Permission.DELETE)),
    (Allow, Everyone, (Permission.VIEW, Permission.VIEW_FULL)),
]

_STATE_ACL = {
    DRAFT: [
        (Allow, role_principal(Role.REVIEWER), STAFF_READ + (Permission.EDIT, Permission.DELETE, Permission.SUBMIT)),
        (Allow, role_principal(Role.EDITOR), STAFF_READ + (Permission.EDIT, Permission.DELETE, Permission.SUBMIT)),
        (Allow, OWNER_PRINCIPAL, STAFF_READ + (Permission.EDIT, Permission.DELETE, Permission.SUBMIT)),
    ],
    PENDING: [
        (
            Allow,
            role_principal(Role.REVIEWER),
            STAFF_READ + (Permission.EDIT, Permission.PUBLISH, Permission.SEND_BACK),
        ),
        (Allow, role_principal(Role.EDITOR), STAFF_READ + (Permission.EDIT,)),
        (Allow, OWNER_PRINCIPAL, STAFF_READ),
    ],
    PUBLISHED: [
        (
            Allow,
            role_principal(Role.REVIEWER),
            STAFF_READ + (Permission.EDIT, Permission.DELETE, Permission.RETRACT, Permission.ARCHIVE),
        ),
        (Allow, role_principal(Role.EDITOR), STAFF_READ + (Permission.EDIT, Permission.DELETE)),
        (Allow, OWNER_PRINCIPAL, STAFF_READ + (Permission.EDIT, Permission.RETRACT)),
    ],
    ARCHIVED: [
        (Allow, role_principal(Role.REVIEWER), STAFF_READ + (Permission.EDIT, Permission.DELETE, Permission.RESTORE)),
        (Allow, role_principal(Role.EDITOR), STAFF_READ),
        (Allow, OWNER_PRINCIPAL, STAFF_READ),
        # An archive is frozen for editors, even one left public: restore it first.
        (Deny, Everyone, (Permission.EDIT, Permission.DELETE)),
    ],
}

# Partners (and staff, whose roles include partner) read restricted content in full.
_RESTRICTED = [
    (Allow, role_principal(Role.PARTNER), (Permission.VIEW, Permission.VIEW_FULL)),
    (Deny, Everyone, Permission.VIEW_FULL),
]


def is_live(node, at=None):
    """Published and within its publication dates."""
    at = at or now()
    if node.state != PUBLISHED:
        return False
    effective, expires = aware(node.effective), aware(node.expires)
    return (effective is None or effective <= at) and (expires is None or expires > at)


def public_status(node, at=None):
    """What a visitor may be told about a published node that is not live."""
    at = at or now()
    if node.state == PUBLISHED and node.effective and aware(node.effective) > at:
        return "scheduled"
    if node.state == PUBLISHED and node.expires and aware(node.expires) <= at:
        return "expired"
    return node.state


def acl_for(node):
    if node.parent_id is None:
        return SITE_ACL
    acl = [(Allow, role_principal(Role.ADMINISTRATOR), ALL_PERMISSIONS)]
    if node.type == "folder":
        # Folders are not under the workflow: only their restriction matters.
        return acl + (_RESTRICTED if node.restricted else [])
    acl += _STATE_ACL.get(node.state, [])
    if not is_open(node):
        # Not (or no longer, or not yet) public: nobody else, whatever the folders say.
        return acl + [DENY_ALL]
    if is_press_only(node):
        return (
            acl
            + [(Allow, role_principal(r), (Permission.VIEW, Permission.VIEW_FULL)) for r in PRESS_ROLES]
            + [DENY_ALL]
        )
    return acl + (_RESTRICTED if is_reserved(node) else [])


def deletion_permission(node):
    """The permission that deleting ``node`` needs. A section of the site (a
    folder under the root, such as /ressources) holds a whole part of the
    centre: only an administrator deletes one. Not an ACL entry: a Deny on the
    section would be inherited by everything inside it."""
    section = node.type == "folder" and node.parent is not None and node.parent.parent_id is None
    return "manage" if section else "delete"


def may_delete(request, node):
    return request.has_permission(deletion_permission(node), node)


def visible_to_public(node, permission="view"):
    """Would an anonymous visitor be allowed to open ``node`` (or, with
    ``view_full``, read its text and files)? For links shown to visitors and
    for what harvesters, feeds and the open API may give (visibility.py)."""
    return may(node, [EVERYONE], permission)
