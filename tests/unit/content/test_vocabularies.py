import pytest

from bassin_cms.content.vocabularies import VocabularyService


@pytest.fixture
def vocabularies(dbsession):
    return VocabularyService(dbsession)


@pytest.mark.parametrize(
    "text, codes",
    [
        ("CALL – Loos-en-Gohelle", ["call", "commune-loos-en-gohelle"]),
        ("CAVM et CAPH", ["cavm", "caph"]),
        ("CALL, CAHC, CABBALR", ["call", "cahc", "cabbalr"]),
        ("Artois Comm", ["cabbalr"]),
        ("artois comm.", ["cabbalr"]),
        ("Nord et Pas-de-Calais", ["hauts-de-france"]),
        ("Bassin minier Nord-Pas de Calais (ensemble)", ["bassin-minier"]),
        ("CALL – Sains-en-Gohelle (cité 10 de Béthune)", ["call", "commune-sains-en-gohelle"]),
        ("Vallée Carreau (CABBALR) ; terrils de Sainte-Marie", ["cabbalr"]),
        ("DOUAISIS AGGLO – LALLAING", ["douaisis-agglo", "commune-lallaing"]),
        (
            "Bénifontaine, Auby, Lambres-lez-Douai",
            ["commune-benifontaine", "commune-auby", "commune-lambres-lez-douai"],
        ),
    ],
)
def test_territories_written_five_ways(vocabularies, text, codes):
    terms, _unmapped = vocabularies.map_text("territory", text)
    assert [t.code for t in terms] == codes


def test_unmapped_parts_are_returned(vocabularies):
    terms, unmapped = vocabularies.map_text("territory", "CALL – Atlantide")
    assert [t.code for t in terms] == ["call"]
    assert unmapped == ["Atlantide"]


@pytest.mark.parametrize(
    "text, code",
    [
        ("étude (document tiers)", "etude"),
        ("guide / cahier technique", "guide"),
        ("communiqué / dossier de presse", "presse"),
        ("vidéo (série de 4)", "video-audio"),
        ("Index", "index"),
    ],
)
def test_kinds(vocabularies, text, code):
    terms, _ = vocabularies.map_text("kind", text)
    assert terms[0].code == code


def test_every_epci_is_seeded_with_its_acronym(vocabularies):
    acronyms = {
        t.acronym
        for t, depth in vocabularies.tree("territory")
        if t.parent and t.parent.code in ("nord", "pas-de-calais")
    }
    assert acronyms == {"CAPH", "CALL", "CABBALR", "CAHC", "Douaisis Agglo", "CCCO", "CAVM"}


def test_themes_have_two_levels(vocabularies):
    depths = {depth for _t, depth in vocabularies.tree("theme")}
    assert depths == {0, 1}


def test_seed_does_not_overwrite_edits(vocabularies, dbsession):
    term = vocabularies.by_code("theme", "terrils")
    term.label = "Terrils (modifié)"
    assert vocabularies.seed() == 0
    assert vocabularies.by_code("theme", "terrils").label == "Terrils (modifié)"
