"""Who may do what on the content tree.

Until the workflow domain maps states to ACLs, the root carries the site ACL and
every node inherits it: everything is visible to all, editors and above edit.
"""
from pyramid.authorization import ALL_PERMISSIONS, DENY_ALL, Allow, Everyone

SITE_ACL = [
    (Allow, "role:administrator", ALL_PERMISSIONS),
    (Allow, "role:editor", ("view", "add", "edit", "delete", "staff")),
    (Allow, Everyone, "view"),
]

ADMIN_ACL = [
    (Allow, "role:administrator", ALL_PERMISSIONS),
    DENY_ALL,
]


class AdminContext:
    """Context of the /admin routes: administrators only."""

    __acl__ = ADMIN_ACL

    def __init__(self, request):
        self.request = request
