"""The context of the administration routes. Node ACLs come from the workflow
domain (bassin_cms.workflow.security)."""

from pyramid.authorization import ALL_PERMISSIONS, DENY_ALL, Allow

from bassin_cms.names import Role, role_principal

ADMIN_ACL = [
    (Allow, role_principal(Role.ADMINISTRATOR), ALL_PERMISSIONS),
    DENY_ALL,
]


class AdminContext:
    """Context of the /admin routes: administrators only."""

    __acl__ = ADMIN_ACL

    def __init__(self, request):
        self.request = request
