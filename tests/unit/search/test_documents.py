"""search/documents.py: what a resource gives the index, field by field and
who may find it by what (no index, no live site: the documents themselves)."""

import datetime as dt
from types import SimpleNamespace

from bassin_cms.content.models import Agent, Document, Folder
from bassin_cms.content.services import ContentService
from bassin_cms.content.vocabularies import VocabularyService
from bassin_cms.search.documents import resource_documents
from bassin_cms.workflow.visibility import EVERYONE

FILE = SimpleNamespace(id=7, sha256="ab" * 32, filename="etude.pdf")
PAGES = [SimpleNamespace(page=1, text="Le grisou des galeries"), SimpleNamespace(page=2, text="  ")]


def make(dbsession, restricted=False, state="published", **fields):
    content, terms = ContentService(dbsession), VocabularyService(dbsession)
    folder = content.create(content.root(), Folder, title="Études", restricted=restricted)
    resource = content.create(folder, Document, title="Étude des cités", state=state, **fields)
    resource.terms = [terms.by_code("theme", "cites-minieres"), terms.by_code("territory", "commune-loos-en-gohelle")]
    resource.kind = terms.by_code("kind", "rapport")
    resource.agents = [Agent(relation="contributor", name="Cité des Électriciens", role="partenaire")]
    resource.publisher = "Mission Bassin Minier"
    dbsession.flush()
    return resource_documents(resource, [FILE], lambda sha: PAGES)


def test_notice_people_and_full_text_go_to_their_own_fields(dbsession):
    main, *pages = make(dbsession, summary="Rénovation de 23 000 logements.")
    assert "Rénovation de 23 000 logements." in main["text"]
    # The names of its terms: label, acronym, English label, the commune's EPCI
    # and département; never the import aliases ("livre blanc" is one of Rapport's).
    for name in ("Cités minières", "Mining estates", "Loos-en-Gohelle", "CALL", "Pas-de-Calais", "Rapport"):
        assert name in main["text"], name
    assert "livre blanc" not in main["text"]
    assert main["people"] == "Cité des Électriciens (partenaire) Mission Bassin Minier"
    assert "Électriciens" not in main["text"] and "grisou" not in main["text"]
    assert main["full"] == "Le grisou des galeries"  # a blank page gives nothing
    assert [(p["page"], p["page_text"]) for p in pages] == [(1, "Le grisou des galeries")]


def test_a_partners_only_resource_is_found_by_its_notice_and_read_by_partners(dbsession):
    main, page = make(dbsession, restricted=True)
    assert main["notice"] == EVERYONE  # whoever may open its page
    assert EVERYONE not in main["public"].split(",") and "role:partner" in main["public"].split(",")
    assert page["public"] == main["public"]  # its file's pages: as its full text
    # Its notice is public: its words may be proposed as spellings.
    assert main["spell"] and main["spelling"]


def test_a_draft_is_for_its_staff_only_and_gives_no_public_word(dbsession):
    main, _page = make(dbsession, state="draft")
    assert main["notice"] == "" and main["public"] == "" and "role:editor" in main["allowed"].split(",")
    assert main["spell"] == "" and main["spelling"] == ""


def test_dates_are_kept_for_the_query_and_spellings_keep_accents(dbsession):
    later = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    main, _page = make(dbsession, effective=later)
    assert main["effective"] == int(later.timestamp())
    assert main["spell"] == ""  # not public yet: no spelling from it
    main, _page = make(dbsession)
    assert "cites=cités" in main["spelling"].split(",")
