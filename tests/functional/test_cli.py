"""The bassin-cms command, on its own SQLite database (it commits for real)."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from bassin_cms.cli import main
from tests.conftest import INI, SHARED


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A .ini like development.ini, with var/ in a temporary directory."""
    monkeypatch.delenv("BASSIN_DATABASE_URL", raising=False)
    source = Path(INI).read_text()
    root = Path(INI).parent
    ini = tmp_path / "site.ini"
    ini.write_text(
        source.replace("%(here)s/var", str(tmp_path / "var"))
        .replace("%(here)s/templates", str(root / "templates"))
        .replace("%(here)s/static", str(root / "static"))
        .replace("%(here)s/migrations", str(root / "migrations"))
        .replace("%(here)s/../shared", str(tmp_path / "shared"))
    )
    (tmp_path / "var").mkdir()
    return ini


def run(ini, *args, input=None):
    result = CliRunner().invoke(main, ["--config", str(ini), *args], input=input, catch_exceptions=False)
    return result


def db(ini):
    return create_engine(f"sqlite:///{ini.parent}/var/bassin.sqlite")


def test_initdb_is_repeatable(site):
    first = run(site, "initdb")
    assert first.exit_code == 0, first.output
    assert "Dossier racine créé." in first.output
    second = run(site, "initdb")
    assert "Dossier racine créé." not in second.output
    assert "0 termes ajoutés" in second.output
    with db(site).connect() as connection:
        assert connection.execute(text("select count(*) from nodes where parent_id is null")).scalar() == 1


def test_create_user_reads_password_from_stdin(site):
    run(site, "initdb")
    result = run(site, "create-user", "Editrice@Example.org", "--role", "editor", input="un mot de passe long\n")
    assert result.exit_code == 0, result.output
    assert "Compte créé : editrice@example.org (editor)." in result.output
    again = run(site, "create-user", "editrice@example.org", input="un mot de passe long\n")
    assert again.exit_code != 0 and "existe déjà" in again.output
    short = run(site, "create-user", "autre@example.org", input="court\n")
    assert short.exit_code != 0 and "au moins 10 caractères" in short.output
    with db(site).connect() as connection:
        row = connection.execute(text("select role, password_hash from users")).one()
    assert row.role == "editor" and row.password_hash.startswith("$argon2")


def test_import_reports_and_dry_run(site, tmp_path):
    run(site, "initdb")
    catalogue = tmp_path / "cat.json"
    catalogue.write_text(
        json.dumps(
            [
                {"legacy_id": "x-1", "title": "Un", "kind": "guide", "territory": "Artois Comm", "year": 2015},
                {"legacy_id": "x-2", "title": "", "kind": "guide"},
                {"legacy_id": "x-3", "title": "Trois", "kind": "objet volant", "territory": "Atlantide"},
            ]
        ),
        encoding="utf-8",
    )
    dry = run(site, "import", str(catalogue), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Essai à blanc" in dry.output
    with db(site).connect() as connection:
        assert connection.execute(text("select count(*) from resources")).scalar() == 0

    result = run(site, "import", str(catalogue))
    assert "3 entrées lues : 2 créées, 0 mises à jour, 1 ignorées." in result.output
    assert "entrée n°2 (x-2)" in result.output
    assert "1 × objet volant" in result.output
    assert "1 × Atlantide" in result.output
    again = run(site, "import", str(catalogue))
    assert "0 créées, 2 mises à jour" in again.output
    with db(site).connect() as connection:
        # Artois Comm is the former name of the CABBALR.
        code = connection.execute(
            text(
                "select t.code from terms t join resource_terms rt on rt.term_id = t.id "
                "join resources r on r.id = rt.resource_id where r.legacy_id = 'x-1'"
            )
        ).scalar()
    assert code == "cabbalr"


def test_import_of_a_missing_or_broken_file_says_so(site, tmp_path):
    run(site, "initdb")
    missing = run(site, "import", str(tmp_path / "absent.json"))
    assert missing.exit_code != 0 and "introuvable" in missing.output
    broken = tmp_path / "broken.json"
    broken.write_text("[{")
    result = run(site, "import", str(broken))
    assert result.exit_code != 0 and "JSON valide" in result.output


@pytest.mark.skipif(not (SHARED / "seeds" / "manifest.json").exists(), reason="needs ../shared beside the checkout")
def test_load_demo_once_with_the_five_reports(site, tmp_path):
    shutil.copytree(SHARED, tmp_path / "shared")
    run(site, "initdb")
    result = run(site, "load-demo")
    assert result.exit_code == 0, result.output
    assert "Contenu de démonstration chargé." in result.output
    # The site no longer needs ../shared.
    shutil.rmtree(tmp_path / "shared")
    second = run(site, "load-demo")
    assert "déjà chargé" in second.output
    with db(site).connect() as connection:
        resources = connection.execute(text("select count(*) from resources where legacy_id is not null")).scalar()
        files = connection.execute(
            text(
                "select r.legacy_id, b.page_count, b.extraction from resource_files f "
                "join resources r on r.id = f.node_id "
                "join blobs b on b.sha256 = f.sha256 where r.legacy_id is not null and f.role = 'main' "
                "order by r.legacy_id"
            )
        ).all()
        # The terrils index became an Index with the reports' entries, and a poster was made from it.
        index = connection.execute(
            text(
                "select n.type, count(e.id) from resources r join nodes n on n.id = r.id "
                "join index_entries e on e.index_id = r.id where r.legacy_id = 'mbm-0032' group by n.type"
            )
        ).one()
        posters = connection.execute(
            text(
                "select n.state, b.page_count from posters p join nodes n on n.id = p.id "
                "join resource_files f on f.node_id = p.id join blobs b on b.sha256 = f.sha256"
            )
        ).all()
        # The VUE guide and the D'A dossier, as their kinds.
        guide = connection.execute(
            text(
                "select n.type, (select count(*) from guide_chapters c where c.guide_id = r.id), "
                "(select count(*) from guide_editions e where e.guide_id = r.id), "
                "(select count(*) from guide_contacts k where k.guide_id = r.id) "
                "from resources r join nodes n on n.id = r.id where r.legacy_id = 'mbm-0024'"
            )
        ).one()
        feature = connection.execute(
            text(
                "select n.type, n.restricted, f.issue_number, f.pages, "
                "(select count(*) from feature_articles a where a.feature_id = f.id), "
                "(select count(*) from feature_images i join feature_articles a on a.id = i.article_id "
                " where a.feature_id = f.id and i.credit != '') "
                "from features f join nodes n on n.id = f.id join resources r on r.id = f.id "
                "where r.legacy_id = 'mbm-0031'"
            )
        ).one()
    assert tuple(index) == ("index", 3)
    assert [tuple(p) for p in posters] == [("draft", 1)]
    assert tuple(guide) == ("guide", 3, 1, 7)
    assert tuple(feature) == ("feature", True, "312", "54-105", 2, 1)
    catalogue = json.loads((SHARED / "catalogue" / "legacy_catalogue.json").read_text())
    assert resources == len(catalogue)
    manifest = json.loads((SHARED / "seeds" / "manifest.json").read_text())
    reports = [f for f in files if f.legacy_id in {m["legacy_id"] for m in manifest}]
    assert [f.legacy_id for f in reports] == sorted(m["legacy_id"] for m in manifest)
    assert all(f.extraction == "ok" and f.page_count >= 2 for f in reports)
    # The classroom resources got a one-page placeholder of their notice each.
    assert len(files) > len(reports) and all(f.extraction == "ok" for f in files)


def test_import_state_and_publish_due(site, tmp_path):
    run(site, "initdb")
    catalogue = tmp_path / "cat.json"
    catalogue.write_text(json.dumps([{"legacy_id": "s-1", "title": "Brouillon importé"}]), encoding="utf-8")
    assert run(site, "import", str(catalogue), "--state", "draft").exit_code == 0
    with db(site).begin() as connection:
        assert connection.execute(text("select state from nodes where title = 'Brouillon importé'")).scalar() == "draft"
        connection.execute(
            text(
                "update nodes set state = 'published', expires = '2020-01-01 00:00:00' "
                "where title = 'Brouillon importé'"
            )
        )
    result = run(site, "publish-due")
    assert result.exit_code == 0, result.output
    assert "archivé : /ressources/a-classer/brouillon-importe" in result.output
    with db(site).connect() as connection:
        assert (
            connection.execute(text("select state from nodes where title = 'Brouillon importé'")).scalar() == "archived"
        )
        history = connection.execute(text("select transition, actor_name from workflow_history")).all()
        audit = connection.execute(text("select action, actor_name from audit_log where action = 'create'")).all()
    assert [tuple(h) for h in history] == [("archive", "publication programmée (bassin-cms publish-due)")]
    assert all(a.actor_name == "ligne de commande (bassin-cms)" for a in audit) and audit
    assert "0 ressource(s)" in run(site, "publish-due").output


def test_users_groups_and_local_roles_on_the_command_line(site):
    run(site, "initdb")
    run(site, "create-user", "udap@example.org", "--role", "partner", input="un mot de passe long\n")
    assert run(site, "create-group", "udap-62", "--title", "UDAP 62").exit_code == 0
    assert "existe déjà" in run(site, "create-group", "udap-62").output
    assert run(site, "add-to-group", "udap-62", "udap@example.org").exit_code == 0
    assert run(site, "grant", "/", "--group", "udap-62", "--role", "reviewer").exit_code == 0
    assert run(site, "grant", "/nulle-part", "--user", "udap@example.org", "--role", "editor").exit_code != 0
    assert run(site, "grant", "/", "--role", "editor").exit_code != 0
    run(site, "set-role", "udap@example.org", "editor")
    run(site, "deactivate", "udap@example.org")
    listing = run(site, "users").output
    assert "udap@example.org\teditor\tinactif\tudap-62" in listing
    with db(site).connect() as connection:
        assert connection.execute(text("select principal, role from local_roles")).one() == ("group:1", "reviewer")
        actions = [r.action for r in connection.execute(text("select action from audit_log order by id"))]
    assert {"user", "group", "role"} <= set(actions)


def test_the_development_server_listens_on_the_port_it_is_given():
    """`make serve PORT=6611` runs `pserve development.ini http_port=6611`,
    which pserve hands to the .ini as a default."""
    import plaster

    from tests.conftest import INI

    server = plaster.get_loader(INI, protocols=["wsgi"]).get_settings("server:main", defaults={"http_port": "6611"})
    assert server["listen"] == "localhost:6611"
