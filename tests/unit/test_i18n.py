"""A message in the reader's language (bassin_cms.i18n.translate): in French,
the source language, the site's texts as written and the libraries' texts
from their own catalogues; in English, from the site's catalogue."""

import pytest
from pyramid import testing
from pyramid.i18n import TranslationString

from bassin_cms.i18n import _, translate


@pytest.fixture
def request_in():
    config = testing.setUp()
    config.add_translation_dirs("colander:locale/", "deform:locale/", "bassin_cms:locale/")

    def make(language):
        request = testing.DummyRequest()
        request.locale_name = language
        return request

    yield make
    testing.tearDown()


def test_french_texts_come_as_written(request_in):
    request = request_in("fr")
    assert translate(request, _("Rechercher")) == "Rechercher"
    count = _("${count} résultats", mapping={"count": 3})
    assert translate(request, count) == "3 résultats"


def test_a_library_message_inside_a_french_text_comes_from_its_catalogue(request_in):
    email = TranslationString("Invalid email address", domain="colander")
    message = _("Problème : ${problem}", mapping={"problem": email})
    assert translate(request_in("fr"), message) == "Problème : Adresse email invalide"
    assert translate(request_in("fr"), email) == "Adresse email invalide"


def test_english_texts_come_from_the_catalogue(request_in):
    request = request_in("en")
    assert translate(request, _("Rechercher")) == "Search"
    assert translate(request, TranslationString("Invalid email address", domain="colander")) == "Invalid email address"
