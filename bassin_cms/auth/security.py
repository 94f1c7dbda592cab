"""Pyramid security policy: session identity, role principals, ACL permissions."""

from pyramid.authentication import SessionAuthenticationHelper
from pyramid.authorization import ACLHelper, Authenticated, Everyone

from bassin_cms.names import EDITING_ROLES, OWNER, role_principal

from .services import UserService, implied_roles, roles_of

__all__ = ["role_principal", "user_principal", "SecurityPolicy"]


def user_principal(user_id):
    return f"user:{user_id}"


SESSION_GENERATION = "user_generation"


def get_user(request):
    userid = SessionAuthenticationHelper().authenticated_userid(request)
    if userid is None:
        return None
    user = UserService(request.dbsession).get(userid)
    if user is None or not user.active:
        return None
    if request.session.get(SESSION_GENERATION, 0) != (user.session_generation or 0):
        return None  # signed before a logout or a password change
    return user


def group_principal(group_id):
    return f"group:{group_id}"


class SecurityPolicy:
    """Principals depend on the context, as in Kotti: a local role granted on a
    folder applies inside it, and the creator of a node is its "owner"."""

    def __init__(self):
        self.session_helper = SessionAuthenticationHelper()
        self.acl = ACLHelper()

    def identity(self, request):
        return request.user

    def authenticated_userid(self, request):
        user = request.user
        return user.id if user is not None else None

    def user_principals(self, request):
        principals = [Everyone]
        user = request.user
        if user is not None:
            principals.append(Authenticated)
            principals.append(user_principal(user.id))
            principals.extend(group_principal(g) for g in request.user_group_ids)
            principals.extend(role_principal(r) for r in roles_of(user))
        return principals

    def effective_principals(self, request, context=None):
        principals = self.user_principals(request)
        user = request.user
        if user is None or context is None or not hasattr(context, "lineage"):
            return principals
        own = set(principals)
        roles = set()
        for node in context.lineage():
            for principal, role in request.local_roles_of(node.id):
                if principal in own:
                    roles.update(implied_roles(role))
        # The creator is the owner only while a role of theirs, site-wide or
        # here, lets them edit: a user demoted to partner keeps no owner rights.
        may_edit = EDITING_ROLES & (roles | set(roles_of(user)))
        if getattr(context, "creator_id", None) == user.id and may_edit:
            roles.add(OWNER)
        return principals + [role_principal(r) for r in sorted(roles)]

    def permits(self, request, context, permission):
        return self.acl.permits(context, self.effective_principals(request, context), permission)

    def remember(self, request, userid, **kw):
        return self.session_helper.remember(request, userid, **kw)

    def forget(self, request, **kw):
        return self.session_helper.forget(request, **kw)
