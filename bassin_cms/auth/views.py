"""Login and logout."""

from urllib.parse import urlparse

import colander
import deform
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.security import forget, remember
from pyramid.view import view_config

from bassin_cms.forms import CSRFSchema, make_form, validate
from bassin_cms.i18n import _, flash

from .security import SESSION_GENERATION
from .services import LoginThrottle


class LoginSchema(CSRFSchema):
    email = colander.SchemaNode(
        colander.String(),
        title=_("Adresse e-mail"),
        widget=deform.widget.TextInputWidget(attributes={"autocomplete": "username", "type": "email"}),
    )
    password = colander.SchemaNode(
        colander.String(),
        title=_("Mot de passe"),
        widget=deform.widget.PasswordWidget(attributes={"autocomplete": "current-password"}),
    )
    came_from = colander.SchemaNode(
        colander.String(),
        widget=deform.widget.HiddenWidget(),
        missing="",
    )


def safe_came_from(request, url):
    """Only go back to a page of this site after login (no open redirect)."""
    if not url or any(ord(c) < 32 or ord(c) == 127 for c in url):
        return request.route_url("home")  # a CR/LF would end up in the Location header
    parsed = urlparse(url)
    here = urlparse(request.application_url)
    if parsed.scheme and (parsed.scheme, parsed.netloc) != (here.scheme, here.netloc):
        return request.route_url("home")
    if not parsed.scheme and (parsed.netloc or not url.startswith("/")):
        return request.route_url("home")
    return url


@view_config(route_name="login", renderer="login.pt")
def login_view(request):
    form = make_form(request, LoginSchema(), buttons=(deform.Button("login", _("Se connecter")),), formid="login")
    error = None
    if "login" in request.POST:
        appstruct, html = validate(request, form)
        throttle = LoginThrottle(request.dbsession)
        wait = throttle.wait(appstruct["email"], request.client_addr) if appstruct is not None else 0
        if wait:
            request.response.status = 429
            request.response.headers["Retry-After"] = str(wait)
            error = _(
                "Trop de tentatives de connexion : réessayez dans ${seconds} secondes.", mapping={"seconds": wait}
            )
            html = form.render({"email": appstruct["email"], "came_from": appstruct["came_from"]})
        elif appstruct is not None:
            user = request.user_service.authenticate(appstruct["email"], appstruct["password"])
            if user is None:
                throttle.failed(appstruct["email"], request.client_addr)
            else:
                throttle.succeeded(appstruct["email"], request.client_addr)
            if user is not None:
                # A new session on login: no fixation of a session set before.
                request.session.invalidate()
                headers = remember(request, user.id)
                request.session[SESSION_GENERATION] = user.session_generation or 0
                flash(request, _("Bonjour ${name}.", mapping={"name": user.display_name}), "success")
                return HTTPSeeOther(safe_came_from(request, appstruct["came_from"]), headers=headers)
            error = _("Adresse e-mail ou mot de passe incorrect.")
            html = form.render({"email": appstruct["email"], "came_from": appstruct["came_from"]})
    else:
        html = form.render({"came_from": request.params.get("came_from", "")})
    return {"form": html, "error": error}


@view_config(route_name="logout", renderer="logout.pt")
def logout_view(request):
    if request.method == "POST":
        if request.user is not None:
            request.user_service.end_sessions(request.user)  # a copied cookie stops working too
        headers = forget(request)
        request.session.invalidate()
        return HTTPSeeOther(request.route_url("home"), headers=headers)
    return {}
