"""Walking the folders above a page of results asks the database once, not
once a result and level (ContentService.load_lineages)."""

from sqlalchemy import event, select

from bassin_cms.content.models import Document, Folder, Node
from bassin_cms.content.services import ContentService


def test_the_folders_above_results_are_loaded_a_level_at_a_time(dbsession):
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
    assert loading == 1  # the folders, the sections, the root: one recursive statement
    assert len(statements) == loading, "walking a lineage still asked the database"
