"""Files checked end to end, on both blob stores (a directory and S3 through
moto's server): stored readable by other users, verified by `check`
(missing, altered, orphans), and a lost file said clearly on the resource
page, at its download and in the selection's archive."""

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


@pytest.fixture(params=["local", "s3"])
def site(request, tmp_path_factory, app_settings):
    settings = dict(app_settings, **(request.getfixturevalue("s3_settings") if request.param == "s3" else {}))
    app, engine = live_app(tmp_path_factory, settings, "files")
    store = app.registry["blob_storage"]
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
        lost_key = files.key(attached)
        lost_url = f"/ressources/{lost.name}/@@download/{attached.id}/etude.pdf"
    app.registry["outbox_worker"].drain()
    return app, store, lost_key, lost_url


def check(app, *args):
    return CliRunner().invoke(cli_main, ["--config", site_ini(app), "check", *args])


def test_stored_files_are_readable_by_other_users(site):
    _app, store, lost_key, _url = site
    if store.kind != "local":
        pytest.skip("file modes are a local directory's matter")
    assert stat.S_IMODE(os.stat(store.path(lost_key)).st_mode) == 0o644


def test_check_catches_a_deleted_blob_and_an_altered_one(site):
    app, store, lost_key, _url = site
    result = check(app)
    assert result.exit_code == 0, result.output
    assert f"stockage des fichiers : {store.describe()}" in result.output
    store.delete(lost_key)
    result = check(app)
    assert result.exit_code == 1
    assert "fichiers manquants ou altérés : 1" in result.output and "(etude.pdf) : absent" in result.output
    # Same size, other bytes: only the sha256 tells.
    plan = next(f"{s[:2]}/{s[2:4]}/{s}" for s in store.stored())
    store.write_bytes(plan, b"x" * store.size(plan))
    result = check(app)
    assert "fichiers manquants ou altérés : 2" in result.output and "contenu altéré" in result.output
    assert "contenu altéré" not in check(app, "--quick").output


def test_check_files_lists_orphans(site):
    app, store, _lost_key, _url = site
    store.write_bytes("00/00/" + "0" * 64, b"left behind")
    result = check(app, "--files")
    assert "fichiers stockés sans ressource : 1" in result.output and "0" * 64 in result.output


def test_a_missing_file_is_said_on_the_page_at_its_download_and_in_the_zip(site):
    app, store, lost_key, url = site
    store.delete(lost_key)
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
