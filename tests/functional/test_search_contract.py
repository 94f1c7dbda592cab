"""One contract for every search backend (Whoosh files, PostgreSQL tables):
the same site, the same queries, the same answers. Each test runs once per
backend; the PostgreSQL one needs a server (skipped without one).

What a visitor finds: every resource whose page they may open, by its
notice (title, summary, metadata); its text and files only if they may read
it in full. Results holding every typed word come first, then those holding
most of them, each saying which words it lacks."""

import datetime as dt
import io

import pytest
import webtest
from sqlalchemy.orm import Session

from bassin_cms.auth.services import LocalRoleService, UserService
from bassin_cms.content.models import Document, Folder
from bassin_cms.content.services import ContentService
from bassin_cms.content.vocabularies import VocabularyService
from bassin_cms.files.services import FileService
from tests.conftest import PASSWORD, live_app, login, make_pdf

NOW = dt.datetime.now(dt.UTC)
PUBLIC = {
    "harmonie": "L'harmonie des corons de Loos-en-Gohelle",
    "ecoles": "Le patrimoine minier raconté aux élèves d'écoles primaires",
    "plu": "Intégrer la VUE dans le plan local d'urbanisme de Liévin",
    "erbm": "Feuille de route de l'Engagement pour le Renouveau du Bassin Minier",
    "barbe": "Restauration de la chapelle Sainte-Barbe de Haillicourt",
    "terril": "Fiche du terril 74a, pointe du 11/19",
    "cites": "Rénovation des cités minières de la CALL",
    "ot": "Un OT pour le Bassin minier : l'office de tourisme",
    "pdf": "Rapport d'activité avec une phrase dans son fichier",
    "plu-literal": "Le PLU de Lens en questions",
    "review": "Le Bassin minier dans la revue D'A",
    "housing": "Bilan des logements rénovés",
}
SUMMARIES = {"housing": "Plus de 23 000 logements miniers rénovés depuis 2017."}
HIDDEN = {
    "draft": "Brouillon xylophagie sur les corons zorglub",
    "pending": "Étude en validation sur les corons zorglub",
    "expired": "Exposition terminée sur les corons zorglub",
    "future": "Exposition à venir sur les corons zorglub",
}
PARTNERS = {"flag": "Dossier réservé zorglub par son drapeau", "folder": "Dossier réservé zorglub par son dossier"}
RESERVED_TEXT = "le grisou des galeries profondes"  # in a partners-only resource's file
LOCAL = "Brouillon zorglub du dossier des communes"
SENTENCE = "les chevalements de Wallers-Arenberg accueillent désormais un pôle image"


@pytest.fixture(scope="module", params=["whoosh", "postgresql"])
def site(request, tmp_path_factory, app_settings):
    app, engine = live_app(tmp_path_factory, app_settings, f"contract_{request.param}", search_backend=request.param)
    with Session(bind=engine) as session:
        users = UserService(session)
        users.create("partner@example.org", PASSWORD, "partner", "Agnès")
        users.create("editor@example.org", PASSWORD, "editor", "Claire")
        local = users.create("local@example.org", PASSWORD, "partner", "Lucie")
        content, vocabularies = ContentService(session), VocabularyService(session)
        files = FileService(session, app.registry["blob_storage"])
        root = content.root()
        public = content.create(root, Folder, title="Ressources")
        closed = content.create(root, Folder, title="Espace partenaires", restricted=True)
        communes = content.create(root, Folder, title="Dossier des communes")

        def term(vocabulary, code):
            return vocabularies.by_code(vocabulary, code)

        made = {}
        for key, title in PUBLIC.items():
            made[key] = content.create(public, Document, title=title, state="published", summary=SUMMARIES.get(key, ""))
        made["plu"].terms = [term("theme", "planification")]
        made["erbm"].terms = [term("theme", "erbm")]
        made["cites"].terms = [term("theme", "cites-minieres"), term("territory", "call")]
        made["harmonie"].terms = [term("theme", "cites-minieres")]
        made["harmonie"].kind = term("kind", "etude")
        made["cites"].kind = term("kind", "etude")
        made["ot"].kind = term("kind", "rapport")  # whose import aliases include "livre blanc"
        for n, key in enumerate(("harmonie", "cites", "plu")):
            made[key].date_year = 2015 + n
        files.attach(made["pdf"], io.BytesIO(make_pdf(SENTENCE, pages=3)), "rapport.pdf", role="main")
        content.create(public, Document, title=HIDDEN["draft"], state="draft")
        content.create(public, Document, title=HIDDEN["pending"], state="pending")
        content.create(public, Document, title=HIDDEN["expired"], state="published", expires=NOW - dt.timedelta(days=1))
        content.create(
            public, Document, title=HIDDEN["future"], state="published", effective=NOW + dt.timedelta(days=1)
        )
        reserved = content.create(public, Document, title=PARTNERS["flag"], state="published", restricted=True)
        files.attach(reserved, io.BytesIO(make_pdf(RESERVED_TEXT, pages=2)), "dossier.pdf", role="main")
        content.create(closed, Document, title=PARTNERS["folder"], state="published")
        content.create(communes, Document, title=LOCAL, state="draft")
        session.flush()
        LocalRoleService(session).grant(communes.id, f"user:{local.id}", "editor")
        session.commit()
    app.registry["outbox_worker"].drain()
    return app


def search(app, params, user=None):
    visitor = webtest.TestApp(app, extra_environ={"HTTP_HOST": "example.com"})
    if user:
        login(visitor, user)
    return visitor.get("/search.json", params if isinstance(params, dict) else {"q": params}).json


def titles(answer):
    return [r["title"] for r in answer["results"]]


@pytest.mark.parametrize(
    "query, key",
    [
        ("l'harmonie", "harmonie"),
        ("harmonie", "harmonie"),
        ("lharmonie des corons", "harmonie"),
        ("d'écoles", "ecoles"),
        ("ecoles primaires", "ecoles"),
        ("ÉLÈVES", "ecoles"),
        ("renovation des cites minieres", "cites"),
        ("cité minière", "cites"),
        ("OT", "ot"),
        ("VUE liévin", "plu"),
        ("PLU", "plu-literal"),
        ("plan local urbanisme", "plu"),
        ("ERBM", "erbm"),
        ("renouveau du bassin minier", "erbm"),
        ('"chapelle sainte-barbe"', "barbe"),
        ('"chapelle sainte barbe"', "barbe"),
        ("terril 74a", "terril"),
        ("74", "terril"),
        ("11/19", "terril"),
        ('"pôle image"', "pdf"),
        ("chevalements wallers arenberg", "pdf"),
    ],
)
def test_words_as_typed_find_the_resource(site, query, key):
    found = titles(search(site, query))
    if key is None:
        return  # a query that must simply answer (no 500)
    assert found and found[0] == PUBLIC[key], (query, found)


def test_an_acronym_finds_what_its_vocabulary_term_describes(site):
    """PLU is a search synonym of "plan local d'urbanisme", the ERBM's label its
    full name: a resource that says it in full is found by the acronym, after
    one that says the acronym as typed."""
    assert titles(search(site, "PLU"))[:2] == [PUBLIC["plu-literal"], PUBLIC["plu"]]
    assert PUBLIC["erbm"] in titles(search(site, "ERBM"))


def test_import_aliases_are_never_searched(site):
    """ "livre blanc" maps legacy free text onto the kind Rapport when
    importing; a report that does not say it is not found by it."""
    answer = search(site, "livre blanc")
    assert answer["total"] == 0, titles(answer)


def test_english_labels_of_terms_find_what_they_describe(site):
    """ "Mining estates" is the English label of the theme Cités minières."""
    assert set(titles(search(site, "mining estates"))) == {PUBLIC["harmonie"], PUBLIC["cites"]}


@pytest.mark.parametrize(
    "query, key",
    [
        ("D'A", "review"),
        ("revue D'Architectures", "review"),  # a search synonym of D'A
        ("23000 logements", "housing"),
        ("23 000", "housing"),
        ("jai", None),  # j'ai: too common a word to search
    ],
)
def test_words_as_people_type_them(site, query, key):
    answer = search(site, query)
    if key is None:
        assert answer["total"] == 0 and answer["messages"]
    else:
        assert titles(answer) and titles(answer)[0] == PUBLIC[key], (query, titles(answer))


def test_partial_matches_come_after_complete_ones_and_say_what_they_lack(site):
    answer = search(site, "harmonie corons zorglubien")  # one word that no resource holds
    assert titles(answer)[0] == PUBLIC["harmonie"]
    assert answer["results"][0]["missing"] == ["zorglubien"] and answer["unmatched"] == ["zorglubien"]
    answer = search(site, "rénovation corons")  # no resource holds both: each that holds one
    assert set(titles(answer)) >= {PUBLIC["cites"], PUBLIC["harmonie"]} and answer["complete"] == 0
    assert {r["title"]: r["missing"] for r in answer["results"]}[PUBLIC["harmonie"]] == ["rénovation"]
    answer = search(site, "rénovation cités CALL")  # one holds every word: it comes first
    assert titles(answer)[0] == PUBLIC["cites"] and answer["results"][0]["missing"] == []


def test_quotes_and_plus_make_a_word_required(site):
    assert set(titles(search(site, "+corons rénovation"))) == {PUBLIC["harmonie"]}
    assert titles(search(site, '"pôle image" harmonie')) == [PUBLIC["pdf"]]
    assert search(site, '"pôle harmonie"')["total"] == 0


def test_facets_count_what_matches_and_filter(site):
    answer = search(site, "cites minieres")  # one by its title, one by its theme
    themes = {f["value"]: f["count"] for f in answer["facets"]["theme"]}
    assert themes["cites-minieres"] == 2 and answer["total"] == 2
    everything = search(site, {"q": ""})
    counts = {f["value"]: f["count"] for f in everything["facets"]["kind"]}
    assert counts == {"etude": 2, "rapport": 1}
    assert {f["value"]: f["count"] for f in everything["facets"]["year"]} == {"2015": 1, "2016": 1, "2017": 1}
    territory = {f["value"]: f["count"] for f in everything["facets"]["territory"]}
    assert territory["call"] == 1 and territory["pas-de-calais"] == 1  # counted under its département
    filtered = search(site, {"q": "", "theme": "cites-minieres"})
    assert sorted(titles(filtered)) == sorted([PUBLIC["harmonie"], PUBLIC["cites"]])
    assert titles(search(site, {"q": "", "theme": "cites-minieres", "year_from": "2016"})) == [PUBLIC["cites"]]


def test_sorts(site):
    by_date = titles(search(site, {"q": "", "sort": "date"}))
    assert by_date[:3] == [PUBLIC["plu"], PUBLIC["cites"], PUBLIC["harmonie"]]
    answer = search(site, {"q": "", "sort": "title", "page": "1"})
    by_title = titles(answer) + titles(search(site, {"q": "", "sort": "title", "page": "2"}))
    assert by_title == sorted(by_title, key=str.lower)
    assert len(by_title) == answer["total"] == len(PUBLIC) + len(PARTNERS)  # partners' notices too


def test_a_page_of_a_file_gives_its_snippet(site):
    answer = search(site, "chevalements pôle image")
    assert titles(answer) == [PUBLIC["pdf"]]
    snippet = answer["results"][0]["snippets"][0]
    assert "<mark>" in snippet["text"] and snippet["page"] in (1, 2, 3) and "#page=" in snippet["url"]


def test_a_typo_is_corrected_with_public_words_only(site):
    answer = search(site, "harmoine")
    assert answer["suggestion"] == "harmonie" and answer["fuzzy"] and titles(answer) == [PUBLIC["harmonie"]]
    assert search(site, "xylophagi")["suggestion"] is None  # only a draft holds "xylophagie"


def test_a_correction_changes_only_the_word_that_matches_nothing_and_keeps_its_accents(site):
    answer = search(site, "renovaton des cités minières")
    assert answer["suggestion"] == "rénovation des cités minières"
    assert titles(answer)[0] == PUBLIC["cites"]


@pytest.mark.parametrize(
    "user, expected",
    [
        (None, {PARTNERS["flag"], PARTNERS["folder"]}),  # their notices
        ("partner@example.org", {PARTNERS["flag"], PARTNERS["folder"]}),
        ("local@example.org", {PARTNERS["flag"], PARTNERS["folder"], LOCAL}),
        ("editor@example.org", {*HIDDEN.values(), *PARTNERS.values(), LOCAL}),
    ],
)
def test_the_permission_filter(site, user, expected):
    """Draft, pending, expired, future, partners-only by flag and by folder,
    and a local role: each is found exactly by whoever may see it."""
    assert set(titles(search(site, "zorglub", user))) == expected


@pytest.mark.parametrize("user, reads", [(None, False), ("partner@example.org", True), ("editor@example.org", True)])
def test_a_partners_only_resource_is_found_by_its_notice_and_by_its_text_only_by_partners(site, user, reads):
    by_notice = search(site, "dossier réservé drapeau", user)
    assert titles(by_notice)[0] == PARTNERS["flag"]
    assert by_notice["results"][0]["reserved"] is not reads
    by_text = search(site, "grisou galeries", user)
    assert (PARTNERS["flag"] in titles(by_text)) is reads
    if not reads:
        assert "grisou" not in str(by_text["results"]) and by_text["total"] == 0


def test_an_edit_is_findable_when_its_transaction_commits_on_a_transactional_backend(site):
    """PostgreSQL: written in the edit's own transaction, no worker involved.
    Whoosh: the outbox worker writes it a moment later."""
    editor = webtest.TestApp(site.app, extra_environ={"HTTP_HOST": "example.com"})  # not drained
    login(editor, "editor@example.org")
    form = editor.get("/ressources/un-ot-pour-le-bassin-minier-l-office-de-tourisme/@@edit").forms["deform"]
    form["title"] = "Un OT pour le Bassin minier : estaminets et jardins ouvriers"
    form.submit("save").follow()
    backend = site.registry["search_backend"]
    immediately = titles(search(site.app, "estaminets"))
    if backend.transactional:
        assert immediately == ["Un OT pour le Bassin minier : estaminets et jardins ouvriers"]
    else:
        assert immediately == []
    site.registry["outbox_worker"].drain()
    assert titles(search(site, "estaminets")) == ["Un OT pour le Bassin minier : estaminets et jardins ouvriers"]
    assert titles(search(site, "office de tourisme")) == []


def test_the_postgresql_backend_on_another_database_stops_the_start_with_a_message(app_settings, tmp_path):
    from bassin_cms import main
    from bassin_cms.search import BackendSettingError
    from tests.conftest import ROOT

    settings = dict(
        app_settings,
        **{
            "sqlalchemy.url": f"sqlite:///{tmp_path}/x.sqlite",
            "bassin.search_backend": "postgresql",
            "bassin.var_dir": str(tmp_path),
        },
    )
    settings.pop("bassin.engine", None)
    with pytest.raises(BackendSettingError, match="demande une base PostgreSQL"):
        main({"here": str(ROOT)}, **settings)
    with pytest.raises(BackendSettingError, match="valeurs possibles whoosh, postgresql"):
        main({"here": str(ROOT)}, **dict(settings, **{"bassin.search_backend": "solr"}))
