"""Files checked end to end: stored readable by other users, verified by
`check` (missing, altered, orphans), and a lost file said clearly on the
resource page, at its download and in the selection's archive."""

import io
import os
import stat
import zipfile

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from bassin_cms.cli import main as cli_main
from bassin_cms.content.models import Document, Folder
from bassin_cms.content.services import ContentService
from bassin_cms.files.services import FileService
from tests.conftest import browser, live_app, make_pdf, text_of
from tests.functional.test_outbox import site_ini


@pytest.fixture
def site(tmp_path_factory, app_settings):
    app, engine = live_app(tmp_path_factory, app_settings, "files")
    with Session(bind=engine) as session:
        content = ContentService(session)
        files = FileService(session, app.registry["blob_storage"])
        folder = content.create(content.root(), Folder, title="Ressources")
        kept = content.create(folder, Document, title="Plan de gestion", state="published")
        lost = content.create(folder, Document, title="Étude perdue", state="published")
        files.attach(kept, io.BytesIO(make_pdf("Plan de gestion du Bien")), "plan.pdf", role="main")
        attached = files.attach(
            lost, io.BytesIO(make_pdf("Une étude dont le fichier se perd")), "etude.pdf", role="main"
        )
        session.commit()
        lost_path = files.path(attached)
        lost_url = f"/ressources/{lost.name}/@@download/{attached.id}/etude.pdf"
    app.registry["outbox_worker"].drain()
    return app, lost_path, lost_url


def check(app, *args):
    return CliRunner().invoke(cli_main, ["--config", site_ini(app), "check", *args])


def test_stored_files_are_readable_by_other_users(site):
    _app, lost_path, _url = site
    assert stat.S_IMODE(os.stat(lost_path).st_mode) == 0o644


def test_check_catches_a_deleted_blob_and_an_altered_one(site):
    app, lost_path, _url = site
    assert check(app).exit_code == 0
    os.unlink(lost_path)
    result = check(app)
    assert result.exit_code == 1
    assert "fichiers manquants ou altérés : 1" in result.output and "(etude.pdf) : absent" in result.output
    # Same size, other bytes: only the sha256 tells.
    with Session(bind=app.registry["dbengine"]) as session:
        plan = next(
            p
            for p in FileService(session, app.registry["blob_storage"]).storage.root.rglob("*")
            if p.is_file() and len(p.name) == 64 and p != lost_path
        )
    size = plan.stat().st_size
    plan.write_bytes(b"x" * size)
    result = check(app)
    assert "fichiers manquants ou altérés : 2" in result.output and "contenu altéré" in result.output
    assert "contenu altéré" not in check(app, "--quick").output


def test_check_files_lists_orphans(site):
    app, lost_path, _url = site
    orphan = lost_path.parent / ("0" * 64)
    orphan.write_bytes(b"left behind")
    result = check(app, "--files")
    assert "fichiers stockés sans ressource : 1" in result.output and "0" * 64 in result.output


def test_a_missing_file_is_said_on_the_page_at_its_download_and_in_the_zip(site):
    app, lost_path, url = site
    os.unlink(lost_path)
    visitor = browser(app)
    page = visitor.get("/ressources/etude-perdue/")
    assert "fichier momentanément indisponible" in text_of(page)
    assert not page.html.select('a[href*="@@download"]')
    download = visitor.get(url, status=404)
    assert "« etude.pdf » est momentanément indisponible" in text_of(download)
    for path in ("/ressources/etude-perdue/", "/ressources/plan-de-gestion/"):
        form = next(f for f in visitor.get(path).forms.values() if "node_id" in f.fields)
        form.submit()
    link = visitor.get("/selection").html.select_one('a[href$=".zip"]')["href"]  # the button a visitor clicks
    archive = zipfile.ZipFile(io.BytesIO(visitor.get(link).body))
    assert archive.testzip() is None
    names = archive.namelist()
    assert "LISEZMOI.txt" in names and "plan-de-gestion.pdf" in names and len(names) == 2
    readme = archive.read("LISEZMOI.txt").decode("utf-8")
    assert "Fichier manquant sur le serveur, non inclus : etude.pdf" in readme
