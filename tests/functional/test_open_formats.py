"""A harvester's and a feed reader's view: OAI-PMH 2.0 (the six verbs, sets,
resumption tokens, error codes), Atom feeds, sitemap.xml and robots.txt; none
of them ever shows what the public may not open."""

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy.orm import Session

from bassin_cms.content.models import Document, Folder
from bassin_cms.content.services import ContentService
from bassin_cms.content.vocabularies import VocabularyService
from bassin_cms.opendata import oai
from tests.conftest import browser, live_app

NS = {
    "o": "http://www.openarchives.org/OAI/2.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "a": "http://www.w3.org/2005/Atom",
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
}
PUBLIC = ["Cité des Électriciens : étude", "Guide VUE", "Plan de gestion", "Dossier réservé (notice publique)"]
HIDDEN = ["Brouillon secret", "Étude retirée hier", "En validation"]


@pytest.fixture(scope="module")
def site(tmp_path_factory, app_settings):
    app, engine = live_app(tmp_path_factory, app_settings, "opendata")
    with Session(bind=engine) as session:
        content, vocabularies = ContentService(session), VocabularyService(session)
        folder = content.create(content.root(), Folder, title="Ressources")
        vue, etude = vocabularies.by_code("theme", "vue"), vocabularies.by_code("kind", "etude")
        yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
        for title in PUBLIC:
            resource = content.create(
                folder, Document, title=title, state="published", restricted=title.startswith("Dossier réservé")
            )
            content.apply_metadata(
                resource,
                {
                    "summary": f"Résumé de {title}.",
                    "date": (2023, 12, None),
                    "creators": [("Mission Bassin Minier", "rédaction")],
                    "themes": [vue.id] if "VUE" in title or "Cité" in title else [],
                    "kind": etude.id if "étude" in title else None,
                },
            )
        content.create(folder, Document, title=HIDDEN[0], state="draft")
        content.create(folder, Document, title=HIDDEN[1], state="published", expires=yesterday)
        content.create(folder, Document, title=HIDDEN[2], state="pending")
        session.commit()
    return app


def oai_get(testapp, **params):
    return ET.fromstring(testapp.get("/oai", params).body)


def error_code(tree):
    error = tree.find("o:error", NS)
    return error.get("code") if error is not None else None


def test_an_oai_harvester_gets_valid_answers_and_only_public_records(site, monkeypatch):
    monkeypatch.setattr(oai, "PAGE_SIZE", 3)
    harvester = browser(site)

    identify = oai_get(harvester, verb="Identify").find("o:Identify", NS)
    assert identify.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("o:baseURL", namespaces=NS) == "http://example.com/oai"
    assert dt.datetime.strptime(identify.findtext("o:earliestDatestamp", namespaces=NS), "%Y-%m-%dT%H:%M:%SZ")
    formats = oai_get(harvester, verb="ListMetadataFormats")
    assert [f.text for f in formats.iter(f"{{{NS['o']}}}metadataPrefix")] == ["oai_dc"]
    sets = [s.text for s in oai_get(harvester, verb="ListSets").iter(f"{{{NS['o']}}}setSpec")]
    assert "kind:etude" in sets and "theme:vue" in sets

    # ListRecords in two pages, following the resumption token.
    first = oai_get(harvester, verb="ListRecords", metadataPrefix="oai_dc")
    token = first.find(".//o:resumptionToken", NS)
    assert token.get("completeListSize") == "4" and token.get("cursor") == "0" and token.text
    second = oai_get(harvester, verb="ListRecords", resumptionToken=token.text)
    last = second.find(".//o:resumptionToken", NS)
    assert last.get("cursor") == "3" and not last.text
    titles = [t.text for page in (first, second) for t in page.iter(f"{{{NS['dc']}}}title")]
    assert sorted(titles) == sorted(PUBLIC)
    record = first.find(".//o:record", NS)
    identifier = record.findtext("o:header/o:identifier", namespaces=NS)
    assert identifier.startswith("oai:example.com:")
    assert record.find(".//dc:identifier", NS).text.startswith("http://example.com/r/")
    assert record.find(".//dc:date", NS).text == "2023-12"
    assert record.find(".//dc:creator", NS).text == "Mission Bassin Minier"

    got = oai_get(harvester, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    assert got.find(".//dc:title", NS).text in PUBLIC
    ids = [
        h.text
        for h in oai_get(harvester, verb="ListIdentifiers", metadataPrefix="oai_dc", set="theme:vue").iter(
            f"{{{NS['o']}}}identifier"
        )
    ]
    assert len(ids) == 2
    kinds = oai_get(harvester, verb="ListRecords", metadataPrefix="oai_dc", set="kind:etude")
    assert [t.text for t in kinds.iter(f"{{{NS['dc']}}}title")] == ["Cité des Électriciens : étude"]

    # The protocol's errors.
    assert error_code(oai_get(harvester, verb="Harvest")) == "badVerb"
    assert error_code(oai_get(harvester)) == "badVerb"
    assert error_code(oai_get(harvester, verb="ListRecords")) == "badArgument"
    assert error_code(oai_get(harvester, verb="ListRecords", metadataPrefix="marc21")) == "cannotDisseminateFormat"
    assert error_code(oai_get(harvester, verb="ListRecords", resumptionToken="not-a-token")) == "badResumptionToken"
    assert (
        error_code(oai_get(harvester, verb="ListRecords", metadataPrefix="oai_dc", set="colour:blue")) == "badArgument"
    )
    assert (
        error_code(oai_get(harvester, verb="ListRecords", metadataPrefix="oai_dc", **{"from": "2999-01-01"}))
        == "noRecordsMatch"
    )
    assert (
        error_code(oai_get(harvester, verb="ListRecords", metadataPrefix="oai_dc", **{"from": "hier"})) == "badArgument"
    )
    assert (
        error_code(oai_get(harvester, verb="GetRecord", identifier="oai:example.com:nope", metadataPrefix="oai_dc"))
        == "idDoesNotExist"
    )
    assert error_code(ET.fromstring(harvester.get("/oai?verb=Identify&verb=Identify").body)) == "badArgument"

    # Nothing hidden leaks, in any answer.
    everything = b"".join(
        harvester.get("/oai", p).body
        for p in ({"verb": "ListRecords", "metadataPrefix": "oai_dc"}, {"verb": "ListSets"})
    )
    everything += ET.tostring(second)
    assert not any(title.encode() in everything for title in HIDDEN)


def test_feeds_sitemap_and_robots_list_only_public_resources(site):
    reader = browser(site)
    feed = ET.fromstring(reader.get("/flux.atom").body)
    titles = [e.findtext("a:title", namespaces=NS) for e in feed.findall("a:entry", NS)]
    assert sorted(titles) == sorted(PUBLIC)
    entry = feed.find("a:entry", NS)
    assert entry.find("a:link", NS).get("href").startswith("http://example.com/ressources/")
    assert entry.findtext("a:id", namespaces=NS).startswith("http://example.com/r/")
    themed = ET.fromstring(reader.get("/flux.atom", {"theme": "vue"}).body)
    assert "thème : Valeur universelle exceptionnelle" in themed.findtext("a:title", namespaces=NS)
    assert sorted(e.findtext("a:title", namespaces=NS) for e in themed.findall("a:entry", NS)) == [
        "Cité des Électriciens : étude",
        "Guide VUE",
    ]
    assert reader.get("/flux.atom", {"territory": "nulle-part"}, status=404)

    sitemap = ET.fromstring(reader.get("/sitemap.xml").body)
    locations = [u.findtext("s:loc", namespaces=NS) for u in sitemap.findall("s:url", NS)]
    assert len(locations) == 1 + len(PUBLIC) and "http://example.com/" in locations
    assert not any("brouillon" in loc or "retiree" in loc or "en-validation" in loc for loc in locations)
    robots = reader.get("/robots.txt").text
    assert "Sitemap: http://example.com/sitemap.xml" in robots and "Disallow: /admin/" in robots


def test_an_oai_answer_does_not_depend_on_what_the_process_served_before(site):
    """The feed and the sitemap used to register their default namespace in
    ElementTree's process-wide registry: OAI answers then came out as ns0:."""
    harvester = browser(site)
    before = harvester.get("/oai", {"verb": "Identify"}).body
    harvester.get("/flux.atom")
    harvester.get("/sitemap.xml")
    after = harvester.get("/oai", {"verb": "Identify"}).body
    assert b"ns0:" not in after and b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"' in after
    assert after.split(b"<responseDate>")[0] == before.split(b"<responseDate>")[0]
    feed = harvester.get("/flux.atom").body
    assert b'<feed xmlns="http://www.w3.org/2005/Atom"' in feed and b"ns0:" not in feed


def test_the_text_of_a_resource_in_a_partners_only_folder_never_reaches_harvesters(site):
    """Its notice is public (title, metadata); its text is not, whether the
    restriction is on the resource or on any folder above it."""
    with Session(bind=site.registry["dbengine"]) as session:
        content = ContentService(session)
        closed = content.create(content.root(), Folder, title="Espace partenaires", restricted=True)
        inner = content.create(closed, Folder, title="Sous-dossier")
        resource = content.create(inner, Document, title="Note sans résumé", state="published", summary="")
        resource.body = "<p>Texte zorglub réservé aux partenaires.</p>"
        session.commit()
        shortid = resource.shortid
    harvester = browser(site)
    records = harvester.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"}).text
    assert "Note sans résumé" in records and "zorglub" not in records
    notice = harvester.get(f"/api/resources/{shortid}").json
    assert notice["title"] == "Note sans résumé" and notice["restricted"] is True
    assert "zorglub" not in json.dumps(notice)
