"""The interface's language: French by default, English on request (a
visible switch on every page, kept in the visitor's session). Content stays
in the language it was written in; pages say so when it differs.

Catalogues: bassin_cms/locale/<lang>/LC_MESSAGES/bassin_cms.po, compiled to
.mo by `make` (pybabel compile); `make translations` re-extracts the
messages from the templates (lingva's pot-create) and merges them."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config
from pyramid_chameleon.interfaces import IChameleonTranslate
from translationstring import ChameleonTranslate

from bassin_cms.i18n import _, current_translate

LANGUAGES = {"fr": "Français", "en": "English"}
SESSION_KEY = "lang"


def negotiate_locale(request):
    """The session's choice; otherwise French, whatever the browser says (the
    agency's audience is French; the switch is one click away)."""
    chosen = request.session.get(SESSION_KEY)
    return chosen if chosen in LANGUAGES else "fr"


def _same_site(target):
    return target.startswith("/") and not target.startswith(("//", "/\\"))


@view_config(route_name="language", request_method="POST")
def choose_language(request):
    lang = request.POST.get("lang", "")
    if lang in LANGUAGES:
        request.session[SESSION_KEY] = lang
    target = request.POST.get("came_from") or "/"
    return HTTPSeeOther(target if _same_site(target) else request.route_url("home"))


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
