"""Walking the folders above a page of results asks the database once, not
once a result and level (ContentService.load_lineages)."""

from sqlalchemy import event, select, true

from bassin_cms.content.models import Document, Folder, Node, Term
from bassin_cms.content.services import ContentService


def test_the_folders_above_results_are_loaded_in_one_statement(dbsession):
    content = ContentService(dbsession)
    root = content.root() or content.create(None, Folder, title="Accueil", name="")
    leaves = []
    for n in range(3):
        section = content.create(root, Folder, title=f"Rubrique {n}")
        for m in range(2):
            folder = content.create(section, Folder, title=f"Dossier {n}.{m}")
            leaves += [content.create(folder, Document, title=f"Étude {n}.{m}.{k}") for k in range(2)]
    dbsession.flush()
    expected = {leaf.id: leaf.path for leaf in leaves}
    dbsession.expunge_all()

    results = dbsession.scalars(select(Node).where(Node.id.in_(list(expected)))).all()
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(dbsession.connection(), "before_cursor_execute", listener)
    try:
        ContentService(dbsession).load_lineages(results)
        loading = len(statements)
        paths = {node.id: node.path for node in results}
    finally:
        event.remove(dbsession.connection(), "before_cursor_execute", listener)
    assert paths == expected
    assert loading == 1  # the folders, the sections, the root: one statement for all levels
    assert len(statements) == loading, "walking a lineage still asked the database"

    # Other results under the same folders: the session holds every folder, nothing is asked.
    others = [content.create(leaf.parent, Document, title=f"Autre {leaf.id}") for leaf in results[:3]]
    dbsession.flush()
    expected_others = {other.id: other.path for other in others}
    for other in others:
        dbsession.expunge(other)
    again = dbsession.scalars(select(Node).where(Node.id.in_(list(expected_others)))).all()
    statements.clear()
    event.listen(dbsession.connection(), "before_cursor_execute", listener)
    try:
        ContentService(dbsession).load_lineages(again)
        paths = {node.id: node.path for node in again}
    finally:
        event.remove(dbsession.connection(), "before_cursor_execute", listener)
    assert paths == expected_others
    assert statements == [], "folders the session held were asked for again"


def test_the_related_resources_come_with_their_folders(dbsession):
    """A resource page's "related resources" link to each: their addresses
    ask the database nothing more (12 lazy loads a page before)."""
    content = ContentService(dbsession)
    root = content.root() or content.create(None, Folder, title="Accueil", name="")
    theme = dbsession.scalar(select(Term).where(Term.vocabulary == "theme")) or Term(
        vocabulary="theme", code="paysage", label="Paysage"
    )
    shown = content.create(content.create(root, Folder, title="Études"), Document, title="Étude")
    shown.terms = [theme]
    others = []
    for n in range(4):
        folder = content.create(content.create(root, Folder, title=f"Rubrique {n}"), Folder, title=f"Dossier {n}")
        other = content.create(folder, Document, title=f"Voisine {n}", state="published")
        other.terms = [theme]
        others.append(other)
    dbsession.flush()
    expected = {o.id: o.path for o in others}
    shown_id = shown.id
    dbsession.expunge_all()

    resource = dbsession.get(Document, shown_id)
    resource.terms  # noqa: B018 - loaded before counting
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(dbsession.connection(), "before_cursor_execute", listener)
    try:
        related = ContentService(dbsession).related(resource, true())
        asked = len(statements)
        paths = {r.id: r.path for r in related}
    finally:
        event.remove(dbsession.connection(), "before_cursor_execute", listener)
    assert paths == expected
    assert len(statements) == asked, "walking a related resource's folders still asked the database"
