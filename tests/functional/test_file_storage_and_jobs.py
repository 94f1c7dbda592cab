"""Files on several machines (issue 18): the upload ends when the bytes are
stored, the worker reads them afterwards; an S3 store (moto's server) serves
uploads, kept uploads, Range and 304, or presigned addresses; `copy-files`
moves a site's objects from one store to the other."""

import os
import urllib.request

import pytest
import webtest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from bassin_cms.auth.services import UserService
from bassin_cms.changes.models import Change
from bassin_cms.cli import main as cli_main
from bassin_cms.files.models import Blob
from bassin_cms.files.storage import store_from_settings
from tests.conftest import PASSWORD, browser, live_app, make_pdf, text_of
from tests.functional.test_outbox import site_ini

WORDS = "Chevalement du puits Sabatier à Raismes"


def _site(tmp_path_factory, settings, name):
    app, engine = live_app(tmp_path_factory, settings, name)
    with Session(bind=engine) as session:
        UserService(session).create("editrice@example.org", PASSWORD, "editor", "Claire")
        session.commit()
    return app, engine


def _upload(editor, title, content, filename="fiche.pdf", first_title=None):
    """Add a document as an editor does; ``first_title=""`` first sends the
    form with the title forgotten, then fixes it (the kept upload)."""
    page = editor.get("/@@add/document")
    form = page.forms["deform"]
    form["title"] = title if first_title is None else first_title
    form.set("upload", webtest.Upload(filename, content, "application/pdf"), index=0)
    answer = form.submit("save")
    if first_title is not None:
        assert answer.status_int == 200 and f"Fichier déjà reçu : <strong>{filename}</strong>" in answer.text
        form = answer.forms["deform"]
        form["title"] = title
        answer = form.submit("save")
    return answer.follow()


def test_an_upload_returns_before_its_text_is_read_and_the_page_shows_it_once_the_worker_is_done(
    tmp_path_factory, app_settings
):
    site, engine = _site(tmp_path_factory, app_settings, "filejobs")
    editor = browser(site.app, "editrice@example.org")  # the raw app: the worker does not run
    page = _upload(editor, "Fiche du puits Sabatier", make_pdf(WORDS, pages=3))
    assert "Traitement en cours" in text_of(page)
    assert "3 pages" not in text_of(page) and page.html.select_one("img.resource-thumb") is None
    with Session(bind=engine) as session:
        assert session.scalar(select(Blob.extraction)) == "pending"
        assert session.scalar(select(Change.topic).where(Change.topic == "files", Change.done_at.is_(None)))
    assert "Sabatier" not in text_of(editor.get("/search", {"q": "chevalement raismes"}))

    site.registry["outbox_worker"].drain()
    page = editor.get(page.request.path)
    assert "Traitement en cours" not in text_of(page)
    assert "3 pages" in text_of(page) and page.html.select_one("img.resource-thumb") is not None
    assert editor.get(page.html.select_one("img.resource-thumb")["src"]).content_type == "image/jpeg"
    # The text of its pages is searchable now.
    assert "Fiche du puits Sabatier" in text_of(editor.get("/search", {"q": "chevalement raismes"}))


def test_file_work_over_its_time_bound_fails_clearly_and_can_be_run_again(tmp_path_factory, app_settings):
    site, engine = _site(tmp_path_factory, dict(app_settings, **{"bassin.file_job_seconds": "0.001"}), "slowjob")
    editor = browser(site, "editrice@example.org")
    page = _upload(editor, "Fiche trop lente", make_pdf(WORDS))
    said = text_of(page)
    assert "Traitement en cours" not in said
    assert "Le traitement de ce fichier a échoué ( plus de 0.001 s )" in said
    with Session(bind=engine) as session:
        assert session.scalar(select(Blob.extraction)) == "failed"

    site.registry.settings["bassin.file_job_seconds"] = "120"
    result = CliRunner().invoke(cli_main, ["--config", site_ini(site), "reprocess-files"])
    assert result.exit_code == 0 and "1 fichiers remis en traitement (1 ressources)" in result.output
    page = editor.get(page.request.path)
    assert "a échoué" not in text_of(page) and page.html.select_one("img.resource-thumb") is not None


@pytest.fixture
def s3_site(tmp_path_factory, app_settings, s3_settings):
    site, _engine = _site(tmp_path_factory, dict(app_settings, **s3_settings), "s3site")
    return site, s3_settings


def test_the_s3_store_keeps_uploads_and_serves_ranges_and_304(s3_site):
    site, settings = s3_site
    editor = browser(site, "editrice@example.org")
    content = make_pdf(WORDS, pages=2)
    page = _upload(editor, "Fiche gardée", content, first_title="")  # the kept upload crosses the store
    assert "2 pages" in text_of(page)
    link = page.html.select_one("a.file-link")["href"]

    whole = editor.get(link)
    assert whole.body == content and whole.headers["Accept-Ranges"] == "bytes"
    assert "fiche.pdf" in whole.headers["Content-Disposition"]
    part = editor.get(link, headers={"Range": "bytes=10-99"}, status=206)
    assert part.body == content[10:100] and part.headers["Content-Range"] == f"bytes 10-99/{len(content)}"
    assert editor.get(link, headers={"If-None-Match": whole.headers["ETag"]}, status=304).body == b""
    assert editor.get(link, headers={"Range": f"bytes={len(content) + 5}-"}, status=416)

    # Everything lives in the bucket, nothing in the server's directory.
    store = store_from_settings(settings)
    keys = {key for key, _size, _modified in store.keys()}
    assert any(k.startswith("thumbnails/") for k in keys) and len(list(store.stored())) == 1
    assert not [k for k in keys if k.startswith("uploads/")]  # the kept upload went once used
    assert not os.path.exists(site.registry.settings["bassin.files_dir"])
    # A sheet (a generated PDF) is cached in the bucket too, for every server.
    sheet = editor.get(page.request.path + "fiche.pdf")
    assert sheet.content_type == "application/pdf"
    assert any(k.startswith("cache/sheets/") for k, _s, _m in store.keys("cache/"))
    assert editor.get(page.request.path + "fiche.pdf", headers={"If-None-Match": sheet.headers["ETag"]}, status=304)


def test_presigned_downloads_send_the_browser_to_the_bucket_with_the_file_name(
    tmp_path_factory, app_settings, s3_settings
):
    settings = dict(app_settings, **s3_settings, **{"bassin.s3.presigned_downloads": "true"})
    site, _engine = _site(tmp_path_factory, settings, "presigned")
    editor = browser(site, "editrice@example.org")
    content = make_pdf(WORDS)
    page = _upload(editor, "Fiche signée", content, filename="fiche-été.pdf")
    answer = editor.get(page.html.select_one("a.file-link")["href"], status=302)
    assert "no-store" in answer.headers["Cache-Control"]  # a signed address is for this once
    with urllib.request.urlopen(answer.headers["Location"]) as direct:
        assert direct.read() == content
        assert "filename*=UTF-8''fiche-%C3%A9t%C3%A9.pdf" in direct.headers["Content-Disposition"]
        assert direct.headers["Content-Type"] == "application/pdf"
    # The address expires; the application's permission check came first.
    assert "X-Amz-Expires=300" in answer.headers["Location"] or "Expires=" in answer.headers["Location"]


def test_copy_files_moves_a_site_from_its_directory_to_a_bucket(tmp_path_factory, app_settings, s3_settings, tmp_path):
    site, _engine = _site(tmp_path_factory, app_settings, "tobucket")
    editor = browser(site, "editrice@example.org")
    _upload(editor, "Fiche à déménager", make_pdf(WORDS))
    local = site.registry["blob_storage"]
    objects = sorted(key for key, _s, _m in local.keys())
    assert len(objects) >= 2  # the file and its thumbnail at least

    source_ini = site_ini(site)
    target_ini = tmp_path / "s3.ini"
    s3_lines = "".join(f"{k} = {v}\n" for k, v in s3_settings.items())
    target_ini.write_text(open(source_ini).read().replace("[app:main]\n", "[app:main]\n" + s3_lines, 1))
    result = CliRunner().invoke(cli_main, ["--config", source_ini, "copy-files", str(target_ini)])
    assert result.exit_code == 0, result.output
    assert f"{len(objects)} objets copiés, 0 déjà présents." in result.output
    bucket = store_from_settings(s3_settings)
    assert sorted(key for key, _s, _m in bucket.keys()) == objects
    checked = CliRunner().invoke(cli_main, ["--config", str(target_ini), "check"])
    assert checked.exit_code == 0, checked.output
    assert f"stockage des fichiers : s3://{s3_settings['bassin.s3.bucket']}/" in checked.output
    again = CliRunner().invoke(cli_main, ["--config", source_ini, "copy-files", str(target_ini)])
    assert f"0 objets copiés, {len(objects)} déjà présents." in again.output
