"""The interface's language: French by default, English on request (a
visible link on every page, kept in a preference cookie: not in the session,
so that choosing a language creates none and the pages stay cacheable; the
page cache and the proxy key their copies by this cookie). Content stays
in the language it was written in; pages say so when it differs.

Catalogues: bassin_cms/locale/<lang>/LC_MESSAGES/bassin_cms.po, compiled to
.mo by `make` (pybabel compile); `make translations` re-extracts the
messages from the templates (lingva's pot-create) and merges them."""

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.settings import asbool
from pyramid.view import view_config
from pyramid_chameleon.interfaces import IChameleonTranslate
from translationstring import ChameleonTranslate

from bassin_cms.i18n import SOURCE_LANGUAGE, _, current_translate

LANGUAGES = {"fr": "Français", "en": "English"}
COOKIE = "bassin_lang"
COOKIE_AGE = 365 * 24 * 3600


def negotiate_locale(request):
    """The visitor's choice; otherwise French, whatever the browser says (the
    agency's audience is French; the switch is one click away, and a page that
    followed Accept-Language would have to vary on it, hundreds of variants)."""
    chosen = request.cookies.get(COOKIE)
    return chosen if chosen in LANGUAGES else SOURCE_LANGUAGE


def _same_site(target):
    return target.startswith("/") and not target.startswith(("//", "/\\"))


@view_config(route_name="language", request_method=("GET", "HEAD"))
def choose_language(request):
    """A link, not a form: choosing a language changes nothing on the server
    and needs no CSRF token (a page of another site that links here only
    changes the language of the interface)."""
    lang = request.matchdict["lang"]
    if lang not in LANGUAGES:
        raise HTTPNotFound()
    target = request.params.get("came_from") or "/"
    response = HTTPSeeOther(target if _same_site(target) else request.route_url("home"))
    response.set_cookie(
        COOKIE,
        lang,
        max_age=COOKIE_AGE,
        path="/",
        httponly=True,
        samesite="Lax",
        secure=asbool(request.registry.settings.get("bassin.secure_cookies", "false")),
    )
    return response


def use_current_translate(registry):
    registry.registerUtility(ChameleonTranslate(current_translate), IChameleonTranslate)


def term_label(request, term, acronym=False):
    """A vocabulary term as the interface names it: its English label in
    English when the administrators gave one (with ``acronym``, followed by
    its acronym)."""
    label = term.label_en if request.locale_name == "en" and term.label_en else term.label
    return term.display(label) if acronym else label


# Texts that templates translate from a variable (i18n:translate with
# tal:content): listed here so that extraction finds them.
DYNAMIC_MESSAGES = [
    _("Thèmes"),
    _("Territoires"),
    _("Types de ressources"),
    _("Publics"),
    _("Parcourir"),
    _("Parcourir le centre de ressources"),
    _("Type"),
    _("Thème"),
    _("Territoire"),
    _("Public"),
    _("Niveau"),
    _("Discipline"),
    _("Année"),
    _("pertinence"),
    _("date"),
    _("titre"),
    _("téléchargements"),
    _("Fichier principal"),
    _("Fichier de l'édition"),
    _("Pièce jointe"),
    _("Image"),
    _("Français"),
    _("Anglais"),
]
