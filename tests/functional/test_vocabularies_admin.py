"""Administrators edit the vocabularies through the web; others cannot."""


def test_administrator_adds_a_commune_under_an_epci(testapp, admin, dbsession):
    from bassin_cms.content.vocabularies import VocabularyService

    listing = testapp.get("/admin/vocabularies")
    assert "Territoires" in listing.text
    territories = testapp.get("/admin/vocabularies/territory")
    assert "Communauté d'agglomération de Lens-Liévin" in territories.text
    assert "Artois Comm" in territories.text  # former name shown with CABBALR

    form = testapp.get("/admin/vocabularies/territory/add").forms["term"]
    form["label"] = "Grenay-Nord"
    form["code"] = "commune-grenay-nord"
    form["aliases"] = "Grenay Nord\nGrenay (nord)"
    call = VocabularyService(dbsession).by_code("territory", "call")
    form["parent"] = str(call.id)
    page = form.submit("save").follow()
    assert "Terme enregistré." in page.text
    term = VocabularyService(dbsession).by_code("territory", "commune-grenay-nord")
    assert term.parent.code == "call"
    assert VocabularyService(dbsession).lookup("territory", "grenay (NORD)") is term


def test_duplicate_code_is_refused_and_typed_values_kept(testapp, admin):
    form = testapp.get("/admin/vocabularies/theme/add").forms["term"]
    form["label"] = "Terrils bis"
    form["code"] = "terrils"
    page = form.submit("save", status=400)  # refused by a rule: the form again, status 400
    assert "Le code « terrils » est déjà utilisé" in page.text
    assert page.forms["term"]["label"].value == "Terrils bis"


def test_editor_cannot_reach_vocabularies(testapp, editor):
    testapp.get("/admin/vocabularies", status=403)
    testapp.get("/admin/vocabularies/theme/add", status=403)


def test_unknown_vocabulary_is_404(testapp, admin):
    testapp.get("/admin/vocabularies/planets", status=404)


def test_search_synonyms_and_import_aliases_are_edited_apart(testapp, admin, dbsession):
    """The screen says which list does what; a search synonym typed by an
    administrator widens searches at once, an import alias never does."""
    from bassin_cms.content.vocabularies import VocabularyService
    from bassin_cms.search.query import Thesaurus

    listing = testapp.get("/admin/vocabularies/theme")
    headers = [th.text for th in listing.html.select("thead th")]
    assert "Synonymes de recherche" in headers and "Correspondances d'import" in headers
    assert "jamais à la recherche" in listing.html.select_one(".help").text
    terrils = VocabularyService(dbsession).by_code("theme", "terrils")
    form = testapp.get(f"/admin/vocabularies/theme/{terrils.id}").forms["term"]
    assert form["aliases"].value == "chaine des terrils" and form["synonyms"].value == ""
    form["synonyms"] = "crassiers\nschisteux"
    form["aliases"] = "chaine des terrils\nterrils (liste)"
    form.submit("save").follow()
    dbsession.refresh(terrils)
    assert terrils.synonym_list == ["crassiers", "schisteux"]
    thesaurus = Thesaurus([term for term, _depth in VocabularyService(dbsession).tree("theme")])
    assert "Terrils" in thesaurus.alternatives("crassiers")
    assert not thesaurus.alternatives("terrils (liste)")  # an import alias: not a search name
    assert VocabularyService(dbsession).lookup("theme", "Terrils (liste)") is terrils  # it maps imports
