"""The message factory of the interface's texts (catalogues in bassin_cms/locale,
language chosen by portal/i18n.py), and the few helpers that carry a message
from a service to the person who reads it.

Services do not know who reads their messages: they raise a ``Refusal`` (or
return a problem) whose message is a TranslationString, and the page that
shows it translates it: templates and deform forms translate through
``current_translate``, which also translates the messages nested in a
message's mapping (Pyramid's own translator leaves them French). ``str()`` of
a Refusal stays the French text, for the command line and the logs."""

import functools

from pyramid.i18n import TranslationString, TranslationStringFactory
from pyramid.threadlocal import get_current_request

DOMAIN = "bassin_cms"
# The language the interface's texts are written in: it has no catalogue of
# its own, the texts are their own translation.
SOURCE_LANGUAGE = "fr"

_ = TranslationStringFactory(DOMAIN)


# Messages of colander and deform worded as this site's (theirs are terse:
# "Requis"); the same in English, from the catalogue.
LIBRARY_MESSAGES = {
    ("colander", "Required"): _("Ce champ est obligatoire."),
    ("deform", "Required"): _("Ce champ est obligatoire."),
    ("colander", "Invalid date"): _("Date non valable : utilisez le calendrier ou tapez-la sous la forme 2024-03-05."),
    ("colander", '"${val}" is not a number'): _("« ${val} » n'est pas un nombre."),
}


def _interpolated(message, convert):
    if isinstance(message, TranslationString) and (message.domain, str(message)) in LIBRARY_MESSAGES:
        ours = LIBRARY_MESSAGES[(message.domain, str(message))]
        message = TranslationString(ours, domain=ours.domain, mapping=message.mapping)
    if isinstance(message, (list, tuple)):
        # A list of problems inside a sentence: "Publication impossible : a ; b."
        return " ; ".join(str(_interpolated(m, convert)) for m in message)
    if not isinstance(message, TranslationString):
        return message
    # Every text of every page comes through here: rebuild only a message that nests others.
    if message.mapping and any(isinstance(v, (TranslationString, list, tuple)) for v in message.mapping.values()):
        mapping = {k: _interpolated(v, convert) for k, v in message.mapping.items()}
        message = TranslationString(
            message, domain=message.domain, default=message.default, mapping=mapping, context=message.context
        )
    return convert(message)


def translate(request, message):
    """``message`` in the request's language; the TranslationStrings in its
    mapping (a list of problems inside a sentence) are translated first."""
    if request.locale_name != SOURCE_LANGUAGE:
        return _interpolated(message, request.localizer.translate)
    if isinstance(message, TranslationString) and message.domain == DOMAIN and not message.mapping:
        return message.interpolate()  # most of a page's texts
    return _interpolated(message, functools.partial(_in_source_language, request.localizer))


def _in_source_language(localizer, message):
    """In the source language, this site's messages as written, without
    asking the catalogues: each would be a miss there, gettext's slow path
    (~90 a search page); other domains' messages (colander, deform) still go
    to their catalogues."""
    return message.interpolate() if message.domain == DOMAIN else localizer.translate(message)


def french(message):
    """``message`` as the French source says it (no catalogue needed)."""
    return _interpolated(message, lambda ts: ts.interpolate())


def current_translate(message):
    """The translator of templates and forms: for the request being served,
    French (the source) outside one."""
    request = get_current_request()
    return french(message) if request is None else translate(request, message)


def flash(request, message, queue=""):
    """A message for the next page, in the language of the person who acted
    (the session keeps plain text)."""
    request.session.flash(translate(request, message), queue)


class Refusal(ValueError):
    """A rule the person broke; ``message`` says why, for the interface."""

    @property
    def message(self):
        return self.args[0] if self.args else ""

    def __str__(self):
        return str(french(self.message))
