"""The bulk engine (search/engine.py) reads Whoosh's posting files itself: it
must find exactly the documents Whoosh's own matchers find, with the same
BM25F scores. Checked here on an index large enough for what a 20-document
index never exercises: posting lists of many blocks (Whoosh writes 128
postings a block), several segments, deleted documents, and the skip path
(few wanted documents in a long list). No live site: an index built here."""

import random

import pytest
from whoosh.query import And, AndMaybe, Or, Term

from bassin_cms.search import engine
from bassin_cms.search.analysis import french_analyzer, tokens
from bassin_cms.search.index import SearchIndex
from bassin_cms.search.query import Thesaurus, build_query

FR = french_analyzer()
WORDS = (
    "bassin minier patrimoine mondial terril chevalement cité minière coron jardin école église "
    "fosse puits chaîne paysage habitat rénovation logement énergie mémoire électriciens "
    "Loos-en-Gohelle Lens Liévin Douai Valenciennes Oignies Wallers Arenberg"
).split()
RARE = ("zorglub", "haveluy", "pyramides", "odyssée")
DOCUMENTS = 3000


def text(rng, n):
    words = [rng.choice(WORDS) for _ in range(n)]
    if rng.random() < 0.01:
        words.append(rng.choice(RARE))
    return " ".join(words)


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    rng = random.Random(20261201)
    index = SearchIndex(str(tmp_path_factory.mktemp("oracle") / "index"))
    index.create()
    ix = index.open()
    for segment in range(3):  # three commits, never merged: three segments
        writer = ix.writer()
        for n in range(segment * DOCUMENTS // 3, (segment + 1) * DOCUMENTS // 3):
            title = text(rng, rng.randint(2, 8))
            if n % 97 == 1:  # some documents name the ERBM in full, others by its acronym
                title += " Engagement pour le Renouveau du Bassin Minier" if n % 2 else " ERBM"
            notice = title + " " + text(rng, rng.randint(5, 60))
            full = text(rng, rng.randint(0, 400))
            writer.add_document(
                id=f"r{n}",
                node=str(n),
                node_id=n,
                doctype="resource",
                title=title,
                title_exact=title,
                title_pairs=title,
                text=notice,
                pairs=notice,
                people=text(rng, rng.randint(0, 4)),
                full=full,
                full_pairs=full,
                allowed="role:editor",
                public="system.Everyone",
                effective=0,
                expires=2**62,
            )
        writer.commit(merge=False)
    writer = ix.writer()
    for n in range(0, DOCUMENTS, 7):  # deletions in every segment
        writer.delete_by_term("node", str(n))
    writer.commit(merge=False)
    index.drop_searcher()
    return index


class Term_:
    """A vocabulary term as the thesaurus reads it."""

    def __init__(self, label, acronym="", synonyms=()):
        self.names = [label, acronym, *synonyms]

    def search_names(self):
        return [n for n in self.names if n]


THESAURUS = Thesaurus(
    [
        Term_("Engagement pour le Renouveau du Bassin Minier", "ERBM"),
        Term_("Cité minière", synonyms=["coron", "cités ouvrières"]),
    ]
)


def stem(word):
    return tokens(FR, word)[0]


def whoosh_scores(searcher, query):
    return {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}


def engine_scores(searcher, query, within=None):
    found = engine.evaluate(searcher, query, within)
    return dict(zip(found.ids.tolist(), found.scores.tolist(), strict=False))


def test_the_index_exercises_what_a_small_one_does_not(index):
    searcher = index.searcher()
    assert len(searcher.leaf_searchers()) >= 3 and searcher.reader().has_deletions()
    longest = max(searcher.doc_frequency("text", stem(w)) for w in WORDS)
    assert longest > 128 * 3  # several blocks in each segment


@pytest.mark.parametrize(
    "query",
    [
        "bassin",
        "patrimoine mondial",
        "cité minière",
        "chevalement wallers arenberg",
        "loos en gohelle",
        "zorglub",
        "haveluy terril",
        '"bassin minier"',
        "électriciens douai école",
        "rénovation logement énergie",
        "ERBM",
        "coron lens",
        "renouveau du bassin minier",
    ],
)
def test_the_engine_finds_and_scores_as_whoosh_does(index, query):
    """Queries as the search page builds them: each clause on each reach
    (notice, people, full text), synonyms (phrases) and proximity included."""
    searcher = index.searcher()
    built = build_query(query, THESAURUS)
    trees = [c.parts.notice for c in built.clauses] + [c.parts.people for c in built.clauses]
    trees += (
        [c.parts.full for c in built.clauses] + [p.notice for p in built.proximity] + [p.full for p in built.proximity]
    )
    found = 0
    for tree in (t for t in trees if t is not None):
        expected = whoosh_scores(searcher, tree)
        found += len(expected)
        assert engine_scores(searcher, tree) == pytest.approx(expected, rel=1e-6), tree
    assert found, query


def test_the_skip_path_gives_the_same_postings_as_reading_every_block(index):
    searcher = index.searcher()
    rare = engine.evaluate(searcher, Or([Term("text", stem(w)) for w in RARE]))
    assert 0 < len(rare) < 200
    for word in ("bassin", "terril", "cite"):
        common = Term("text", stem(word))
        full = engine_scores(searcher, common)
        skipped = engine_scores(searcher, common, within=rare.ids)
        assert len(rare) * 8 < searcher.doc_frequency("text", stem(word))  # the skip path is taken
        assert skipped == pytest.approx({d: s for d, s in full.items() if d in set(rare.ids.tolist())}, rel=1e-9)
    # And in a query: the optional part of AndMaybe is read only within the required documents.
    query = AndMaybe(Or([Term("text", stem(w)) for w in RARE]), And([Term("title", stem("bassin"))]))
    assert engine_scores(searcher, query) == pytest.approx(whoosh_scores(searcher, query), rel=1e-6)


def test_deleted_documents_are_never_found(index):
    searcher = index.searcher()
    found = engine.evaluate(searcher, Term("text", stem("bassin")))
    nodes = {searcher.stored_fields(int(d))["node_id"] for d in found.ids}
    assert nodes and not {n for n in nodes if n % 7 == 0}


def test_the_whoosh_it_was_written_for_is_the_one_installed(monkeypatch):
    engine.check_codec()
    import whoosh

    monkeypatch.setattr(whoosh, "__version__", (2, 7, 5))
    with pytest.raises(engine.UnknownCodec, match="Whoosh 2.7.4"):
        engine.check_codec()


def test_a_word_searched_before_it_was_written_is_found_once_it_is(tmp_path):
    """The engine keeps each segment's term infos, absent ones included: a
    new segment is looked up afresh, so a word asked for in vain is found
    once a commit writes it, with Whoosh's own scores."""
    index = SearchIndex(str(tmp_path / "index"))
    index.create()
    ix = index.open()

    def add(*titles):
        writer = ix.writer()
        for n, title in enumerate(titles, start=len(list(ix.searcher().documents()))):
            writer.add_document(id=f"r{n}", node=str(n), node_id=n, doctype="resource", title=title, text=title)
        writer.commit(merge=False)
        index.drop_searcher()

    add("terril de Haillicourt", "cité des électriciens")
    assert not len(engine.evaluate(index.searcher(), Term("text", stem("chevalement"))))
    assert len(engine.evaluate(index.searcher(), Term("text", stem("terril")))) == 1
    add("chevalement de Wallers", "terril jumeau de Loos")
    searcher = index.searcher()
    for word in ("chevalement", "terril"):
        query = Term("text", stem(word))
        assert engine_scores(searcher, query) == pytest.approx(whoosh_scores(searcher, query), rel=1e-6)
    assert len(engine.evaluate(searcher, Term("text", stem("chevalement")))) == 1
    assert len(engine.evaluate(searcher, Term("text", stem("terril")))) == 2


def test_a_list_read_whole_for_a_few_documents_is_kept_whole(index):
    """Within many wanted documents a list is read whole, not skipped
    through: what is kept for the next query is the whole list, not the part
    that was wanted."""
    searcher = index.searcher()
    engine.postings_cache.clear()
    word = Term("text", stem("terril"))
    wanted = engine.evaluate(searcher, Term("text", stem("bassin"))).ids[::2]
    assert len(wanted) * 8 >= searcher.doc_frequency("text", stem("terril"))  # read whole
    part = engine_scores(searcher, word, within=wanted)
    assert engine.postings_cache.size  # kept
    whole = whoosh_scores(searcher, word)
    assert part == pytest.approx({d: s for d, s in whole.items() if d in set(wanted.tolist())}, rel=1e-9)
    assert engine_scores(searcher, word) == pytest.approx(whole, rel=1e-6)
