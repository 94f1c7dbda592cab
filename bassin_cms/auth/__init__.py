"""Users, roles, login. The security policy lives here."""
from pyramid.csrf import SessionCSRFStoragePolicy
from pyramid.session import SignedCookieSessionFactory

from .security import SecurityPolicy, get_user
from .services import UserService


def includeme(config):
    settings = config.get_settings()
    secret = settings.get("bassin.session_secret")
    if not secret:
        raise ValueError("bassin.session_secret must be set in the .ini file")
    config.set_session_factory(
        SignedCookieSessionFactory(
            secret,
            cookie_name="bassin_session",
            httponly=True,
            samesite="Lax",
            secure=settings.get("bassin.secure_cookies", "false").lower() == "true",
            timeout=8 * 3600,
            reissue_time=600,
        )
    )
    config.set_csrf_storage_policy(SessionCSRFStoragePolicy())
    # Every unsafe request (POST, PUT, DELETE...) must carry the CSRF token.
    config.set_default_csrf_options(require_csrf=True)
    config.set_security_policy(SecurityPolicy())
    config.add_request_method(get_user, "user", reify=True)
    config.add_request_method(lambda request: UserService(request.dbsession), "user_service", reify=True)

    config.add_route("login", "/login")
    config.add_route("logout", "/logout")
    config.scan(".views")
