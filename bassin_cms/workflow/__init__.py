"""The validation circuit: states mapped to ACLs, transitions, history, review
queue, notifications, scheduling, and the audit log."""

from pyramid.authorization import ALL_PERMISSIONS, DENY_ALL, Allow, Authenticated

from bassin_cms.names import Permission, Role, role_principal

from . import audit
from .notifications import configure_mailer
from .services import WorkflowService


class ReviewContext:
    """/review: reviewers see it (each folder's own reviewers see their part)."""

    # Any signed-in person: a folder's own reviewers have no site role, and
    # the views show each person their part.
    __acl__ = [
        (Allow, role_principal(Role.ADMINISTRATOR), ALL_PERMISSIONS),
        (Allow, Authenticated, (Permission.REVIEW, Permission.OWN_CONTENT)),
        DENY_ALL,
    ]

    def __init__(self, request):
        self.request = request


def duties(request):
    """What the signed-in person's menu offers: "content" when a role of
    theirs, site-wide or on some folder, lets them add and edit ("Mes
    contenus"), "review" when one lets them publish ("À valider"); nothing
    for partners, whose pages would be empty."""
    from bassin_cms.auth.services import implied_roles
    from bassin_cms.names import EDITING_ROLES, Role

    user = request.user
    if user is None:
        return frozenset()
    own = {f"user:{user.id}"} | {f"group:{g}" for g in request.user_group_ids}
    roles = set(implied_roles(user.role))
    for grants in request.all_local_roles.values():
        roles.update(r for principal, role in grants if principal in own for r in implied_roles(role))
    out = set()
    if roles & EDITING_ROLES:
        out.add("content")
    if roles & {Role.REVIEWER, Role.ADMINISTRATOR}:
        out.add("review")
    return frozenset(out)


def includeme(config):
    from bassin_cms.content.models import set_acl_provider

    from .security import acl_for, may_delete, public_status
    from .visibility import visible_clause

    # The content domain asks these of the workflow without importing it.
    set_acl_provider(acl_for)
    config.add_request_method(may_delete, "may_delete")
    config.add_request_method(lambda request, node: public_status(node), "public_status")
    config.add_request_method(visible_clause, "visible_clause")
    config.add_request_method(duties, "duties", reify=True)
    configure_mailer(config)
    audit.install()
    config.add_request_method(WorkflowService, "workflow", reify=True)
    config.add_route("review", "/review", factory=ReviewContext)
    config.add_route("my_content", "/mes-contenus", factory=ReviewContext)
    from bassin_cms.content.security import AdminContext

    config.add_route("admin_audit", "/admin/audit", factory=AdminContext)
    config.scan(".views")
