"""The legacy catalogue import: mapping, report, skipped entries, idempotence."""

import json

import pytest
from sqlalchemy import func, select

from bassin_cms.content.legacy import CatalogueError, LegacyImporter, load_catalogue
from bassin_cms.content.models import Resource

GOOD = {
    "legacy_id": "t-0001",
    "title": "Étude des cités minières",
    "kind": "étude (document tiers)",
    "year": 2015,
    "audiences": ["élus", "chorales"],
    "territory": "CALL – Loos-en-Gohelle",
    "themes": ["cités minières", "thème inventé"],
    "partners": ["Olivier Sampson (illustrations)", "DREAL"],
    "description": "Une étude.",
    "mentioned_in": ["rapport-activite-2015.txt:12"],
}


def test_entry_is_mapped_onto_the_vocabularies(dbsession):
    report = LegacyImporter(dbsession).run([GOOD])
    assert (report.created, report.updated, report.skipped) == (1, 0, [])
    resource = dbsession.scalar(select(Resource).where(Resource.legacy_id == "t-0001"))
    assert resource.kind.code == "etude"
    assert resource.date_year == 2015
    assert sorted(t.code for t in resource.terms_of("territory")) == ["call", "commune-loos-en-gohelle"]
    assert [t.code for t in resource.terms_of("theme")] == ["cites-minieres"]
    assert [t.code for t in resource.terms_of("audience")] == ["elus"]
    assert [(a.name, a.role) for a in resource.contributors] == [
        ("Olivier Sampson", "illustrations"),
        ("DREAL", "partenaire"),
    ]
    assert resource.legacy_data["mentioned_in"] == ["rapport-activite-2015.txt:12"]
    assert resource.path.startswith("/ressources/etudes-et-rapports/")
    # What could not be mapped is reported, not dropped.
    assert report.unmapped == {"theme": {"thème inventé": 1}, "audience": {"chorales": 1}}
    lines = "\n".join(report.lines())
    assert "1 × thème inventé" in lines


def test_malformed_entries_are_reported_with_their_position_and_skipped(dbsession):
    entries = [
        GOOD,
        "not an object",
        {"title": "Sans identifiant"},
        {"legacy_id": "t-0003", "title": "   "},
        {"legacy_id": "t-0004", "title": "Année bizarre", "year": "vers 2015"},
        {"legacy_id": "t-0005", "title": "Thèmes mal formés", "themes": {"a": 1}},
        {"legacy_id": "t-0001", "title": "Doublon"},
        {"legacy_id": "t-0006", "title": "Correct", "year": "2016", "themes": "paysage"},
    ]
    report = LegacyImporter(dbsession).run(entries)
    assert report.created == 2
    skipped = {position: reason for position, _id, reason in report.skipped}
    assert sorted(skipped) == [2, 3, 4, 5, 6, 7]
    assert "objet JSON" in skipped[2]
    assert "legacy_id" in skipped[3]
    assert "title" in skipped[4]
    assert "vers 2015" in skipped[5]
    assert "themes" in skipped[6]
    assert "en double" in skipped[7]
    lines = list(report.lines())
    assert any("entrée n°5 (t-0004)" in line for line in lines)
    resource = dbsession.scalar(select(Resource).where(Resource.legacy_id == "t-0006"))
    assert resource.date_year == 2016 and [t.code for t in resource.terms_of("theme")] == ["paysage"]


def test_importing_twice_updates_instead_of_duplicating(dbsession):
    LegacyImporter(dbsession).run([GOOD])
    changed = dict(GOOD, title="Étude des cités minières (révisée)")
    report = LegacyImporter(dbsession).run([changed])
    assert (report.created, report.updated) == (0, 1)
    count = dbsession.scalar(select(func.count()).select_from(Resource).where(Resource.legacy_id == "t-0001"))
    assert count == 1
    resource = dbsession.scalar(select(Resource).where(Resource.legacy_id == "t-0001"))
    assert resource.title == "Étude des cités minières (révisée)"


def test_dry_run_writes_nothing(dbsession):
    report = LegacyImporter(dbsession).run([GOOD], dry_run=True)
    assert report.created == 1
    assert dbsession.scalar(select(Resource).where(Resource.legacy_id == "t-0001")) is None


def test_unreadable_catalogue_says_where(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[{"legacy_id": "x",\n "title": }]', encoding="utf-8")
    with pytest.raises(CatalogueError, match="ligne 2"):
        load_catalogue(path)
    path.write_text(json.dumps({"not": "a list"}))
    with pytest.raises(CatalogueError, match="liste"):
        load_catalogue(path)


def test_legacy_identifier_is_a_permanent_link(testapp, dbsession):
    LegacyImporter(dbsession).run([GOOD])
    page = testapp.get("/r/t-0001", status=302).follow()
    assert "<h1>Étude des cités minières</h1>" in page.text
