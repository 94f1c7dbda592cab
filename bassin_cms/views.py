"""Site-wide template helpers (available in every template as ``h``)."""

import datetime as dt
from zoneinfo import ZoneInfo

from pyramid.events import BeforeRender, subscriber

from .content.text import format_partial_date, safe_href, shorten
from .files.checks import human_size
from .i18n import _
from .names import Role
from .params import page_numbers

PARIS = ZoneInfo("Europe/Paris")

# The administration's sections: (route, title, what it is for, the routes
# of its pages). The /admin page lists them; their menu marks the current one.
ADMIN_SECTIONS = (
    (
        "admin_users",
        _("Utilisateurs"),
        _("Comptes, rôles, activation."),
        ("admin_users", "admin_user_add", "admin_user"),
    ),
    ("admin_groups", _("Groupes"), _("Groupes de comptes, pour les rôles sur un dossier."), ("admin_groups",)),
    (
        "admin_vocabularies",
        _("Vocabulaires"),
        _("Thèmes, territoires, publics, types, synonymes de recherche."),
        ("admin_vocabularies", "admin_vocabulary", "admin_term_add", "admin_term"),
    ),
    ("admin_audit", _("Journal d'audit"), _("Qui a fait quoi, et quand."), ("admin_audit",)),
    (
        "admin_statistics",
        _("Statistiques"),
        _("Consultations et téléchargements, export CSV, rapport annuel."),
        ("admin_statistics", "admin_statistics_csv", "admin_statistics_pdf"),
    ),
    (
        "admin_contacts",
        _("Organismes à contacter"),
        _("Les organismes que listent les guides."),
        ("admin_contacts", "admin_contact_add", "admin_contact"),
    ),
    ("links_to_check", _("Liens à vérifier"), _("Ressources citées par les guides et disparues."), ("links_to_check",)),
    (
        "press_requests",
        _("Service presse"),
        _("Demandes d'accès des journalistes, liens temporaires, journal des téléchargements de la photothèque."),
        ("press_requests", "press_links", "press_downloads"),
    ),
)


def _locale():
    from pyramid.threadlocal import get_current_request

    request = get_current_request()
    return getattr(request, "locale_name", "fr") if request is not None else "fr"


def localized_date(year, month=None, day=None):
    """A partial date as the reader's language writes it: "novembre 2015",
    "November 2015" (Babel for languages other than French, the source)."""
    locale = _locale()
    if locale == "fr" or not year:
        return format_partial_date(year, month, day)
    import datetime as dt

    from babel.dates import format_date

    if month and day:
        return format_date(dt.date(year, month, day), "long", locale=locale)
    if month:
        return format_date(dt.date(year, month, 1), "MMMM y", locale=locale)
    return str(year)


def localized_size(size):
    """A file size as the reader's language writes it: "65,2 Ko", "65.2 KB"."""
    text = human_size(size)
    if _locale() == "fr" or not text:
        return text
    number, unit = text.split(" ")
    return f"{number.replace(',', '.')} {ENGLISH_UNITS.get(unit, unit)}"


ENGLISH_UNITS = {"o": "B", "Ko": "KB", "Mo": "MB", "Go": "GB"}


class TemplateHelpers:
    human_size = staticmethod(localized_size)
    format_date = staticmethod(localized_date)
    safe_href = staticmethod(safe_href)
    shorten = staticmethod(shorten)
    page_numbers = staticmethod(page_numbers)

    @staticmethod
    def quote(text):
        """``text`` for a mailto: subject or body."""
        from urllib.parse import quote

        return quote(text or "", safe="")

    ADMIN_SECTIONS = ADMIN_SECTIONS
    Role = Role

    @staticmethod
    def file_format(attached):
        ext = attached.filename.rsplit(".", 1)[-1].upper() if "." in attached.filename else ""
        return ext or attached.blob.mime_type

    @staticmethod
    def local_time(moment):
        """A stored (UTC) moment as people here read it: Paris time, "07/12/2026 09:15"."""
        if moment is None:
            return ""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return moment.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")

    @staticmethod
    def breadcrumbs(node):
        return list(reversed(list(node.lineage()))) if node is not None and hasattr(node, "lineage") else []


@subscriber(BeforeRender)
def add_globals(event):
    event["h"] = TemplateHelpers
    request = event.get("request")
    if request is not None:
        event.setdefault("messages", pending_messages(request))


def pending_messages(request):
    """The messages to show once; popped only when there are some, since a
    pop marks the session changed and would give every visitor a cookie."""
    session = request.session
    if not (session.peek_flash("success") or session.peek_flash()):
        return []
    return session.pop_flash("success") + session.pop_flash()
