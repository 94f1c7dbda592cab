"""Users, roles, login. The security policy lives here."""

from pyramid.csrf import SessionCSRFStoragePolicy
from pyramid.session import SignedCookieSessionFactory
from pyramid.settings import asbool

from .security import SecurityPolicy, get_user
from .services import GroupService, LocalRoleService, UserService


def _all_local_roles(request):
    """{node id: [(principal, role)]}, read once a request (the table is small)."""
    return request.local_role_service.all_by_node()


def _local_roles_of(request, node_id):
    return request.all_local_roles.get(node_id, ())


MIN_SECRET_LENGTH = 32
# Secrets that ship in the repository: anyone who reads it could sign an
# administrator's session with them.
SHIPPED_SECRETS = frozenset({"change-me", "changeme", "secret", "development-only-secret-change-me"})


class SecretError(ValueError):
    pass


def check_secret(secret, secure_cookies):
    """Refuse, at start-up, a missing, short or placeholder session secret;
    the development .ini's own secret only where cookies are not marked secure
    (its localhost server), never on a site served over HTTPS."""
    hint = 'python -c "import secrets; print(secrets.token_hex(32))"'
    if not secret:
        raise SecretError(f"bassin.session_secret est vide : mettez-y une longue valeur aléatoire ({hint}).")
    if secret.strip().lower() in SHIPPED_SECRETS and (secure_cookies or secret.strip().lower() != SHIPPED_DEV):
        raise SecretError(
            f"bassin.session_secret vaut encore la valeur d'exemple « {secret} » : n'importe qui "
            f"pourrait signer une session d'administrateur. Remplacez-la ({hint})."
        )
    if len(secret) < MIN_SECRET_LENGTH:
        raise SecretError(
            f"bassin.session_secret est trop court ({len(secret)} caractères, {MIN_SECRET_LENGTH} au moins) : {hint}"
        )


SHIPPED_DEV = "development-only-secret-change-me"


def includeme(config):
    settings = config.get_settings()
    secret = settings.get("bassin.session_secret")
    check_secret(secret, asbool(settings.get("bassin.secure_cookies", "false")))
    config.set_session_factory(
        SignedCookieSessionFactory(
            secret,
            cookie_name="bassin_session",
            httponly=True,
            samesite="Lax",
            secure=asbool(settings.get("bassin.secure_cookies", "false")),
            timeout=8 * 3600,
            reissue_time=600,
        )
    )
    config.set_csrf_storage_policy(SessionCSRFStoragePolicy())
    # Every unsafe request (POST, PUT, DELETE...) must carry the CSRF token.
    config.set_default_csrf_options(require_csrf=True)
    # Except for the few views a visitor without a session posts to: their origin.
    from .origin import same_origin_view

    config.add_view_deriver(same_origin_view)
    config.set_security_policy(SecurityPolicy())
    config.add_request_method(get_user, "user", reify=True)
    config.add_request_method(lambda request: UserService(request.dbsession), "user_service", reify=True)

    config.add_request_method(lambda r: GroupService(r.dbsession), "group_service", reify=True)
    config.add_request_method(lambda r: LocalRoleService(r.dbsession), "local_role_service", reify=True)
    config.add_request_method(
        lambda r: r.group_service.group_ids_of(r.user.id) if r.user else [], "user_group_ids", reify=True
    )
    config.add_request_method(_all_local_roles, "all_local_roles", reify=True)
    config.add_request_method(_local_roles_of, "local_roles_of")
    config.add_route("login", "/login")
    config.add_route("logout", "/logout")
    from bassin_cms.content.security import AdminContext

    config.add_route("admin_users", "/admin/users", factory=AdminContext)
    config.add_route("admin_user_add", "/admin/users/add", factory=AdminContext)
    config.add_route("admin_user", "/admin/users/{user_id:\\d+}", factory=AdminContext)
    config.add_route("admin_groups", "/admin/groups", factory=AdminContext)
    config.scan(".views")
    config.scan(".admin_views")
