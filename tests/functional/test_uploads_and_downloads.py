"""Uploads survive form errors; bad files get a message, never a 500;
downloads answer conditional and Range requests."""

import re

import webtest

from tests.conftest import make_pdf
from tests.functional.test_editing_journey import add_document, add_folder


def test_upload_survives_a_validation_error(testapp, editor):
    add_folder(testapp, "/", "Études")
    page = testapp.get("/etudes/@@add/document")
    form = page.forms["deform"]
    form["title"] = ""  # forgotten: the form comes back
    form["summary"] = "Résumé tapé avec soin."
    form.set("date", "2023-12", index=0)
    form.set("upload", webtest.Upload("plan-de-gestion.pdf", make_pdf("Plan de gestion"), "application/pdf"), index=0)
    failed = form.submit("save")

    assert failed.status_int == 200
    summary = failed.html.select_one("#deform-errors")
    assert summary is not None and summary.get("role") == "alert"
    link = summary.select_one("a")["href"]
    title_input = failed.html.select_one("input[name=title]")
    assert link == "#" + title_input["id"]
    assert title_input["aria-invalid"] == "true"
    assert failed.html.select_one("#" + title_input["aria-describedby"]).get_text(strip=True)
    # What was typed and uploaded is still there.
    assert "Résumé tapé avec soin." in failed.text
    assert "Fichier déjà reçu : <strong>plan-de-gestion.pdf</strong>" in failed.text

    form = failed.forms["deform"]
    form["title"] = "Plan de gestion du Bien"
    created = form.submit("save").follow()
    assert created.request.path == "/etudes/plan-de-gestion-du-bien/"
    assert "plan-de-gestion.pdf" in created.text
    assert created.html.select_one("img.resource-thumb") is not None


def _submit_upload(testapp, filename, content):
    page = testapp.get("/@@add/document")
    form = page.forms["deform"]
    form["title"] = "Essai"
    form.set("upload", webtest.Upload(filename, content, "application/pdf"), index=0)
    return form.submit("save")


def test_empty_file_is_refused(testapp, editor):
    page = _submit_upload(testapp, "vide.pdf", b"")
    assert page.status_int == 200
    assert "Le fichier « vide.pdf » est vide." in page.text
    # A refused upload is not kept as if it were accepted.
    assert "Fichier déjà reçu" not in page.text


def test_file_that_is_not_what_its_name_says_is_refused(testapp, editor):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    page = _submit_upload(testapp, "rapport.pdf", png)
    assert "ne correspond pas à son extension .pdf" in page.text
    assert "son contenu est une image PNG" in page.text  # said as people say it, not "image/png"


def test_unknown_extension_is_refused(testapp, editor):
    page = _submit_upload(testapp, "script.exe", b"MZ\x90\x00")
    assert "« .exe » n'est pas accepté" in page.text


def test_file_over_the_limit_is_refused(testapp, editor):
    # The test settings put the limit at 5 MB.
    page = _submit_upload(testapp, "gros.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024))
    assert "la limite est de 5,0 Mo" in page.text


def test_damaged_pdf_is_stored_and_flagged_not_a_500(testapp, editor):
    page = _submit_upload(testapp, "abime.pdf", b"%PDF-1.4\nthis is not really a pdf\n%%EOF")
    resource = page.follow()
    assert "Ce fichier semble endommagé" in resource.text
    assert resource.html.select_one("img.resource-thumb") is None
    testapp.get(resource.request.path + "@@thumbnail", status=404)
    download = testapp.get(resource.html.select_one("a.file-link")["href"])
    assert download.body.startswith(b"%PDF-1.4")


def test_same_bytes_are_stored_once(testapp, editor, dbsession, app):
    from sqlalchemy import func, select

    from bassin_cms.files.models import Blob, ResourceFile

    content = make_pdf("Fichier partagé")
    _submit_upload(testapp, "a.pdf", content).follow()
    _submit_upload(testapp, "b.pdf", content).follow()
    assert dbsession.scalar(select(func.count()).select_from(Blob)) == 1
    assert sorted(dbsession.scalars(select(ResourceFile.filename))) == ["a.pdf", "b.pdf"]


def test_download_headers_conditional_and_range(testapp, editor):
    add_folder(testapp, "/", "Téléchargements")
    page = add_document(
        testapp,
        "/telechargements/",
        "Index des terrils",
        filename="Index des terrils – 2023 é.pdf",
        content=make_pdf("Chaîne des terrils", pages=2),
    ).follow()
    url = page.html.select_one("a.file-link")["href"]
    full = testapp.get(url)
    assert full.content_type == "application/pdf"
    disposition = full.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Index%20des%20terrils%20%E2%80%93%202023%20%C3%A9.pdf" in disposition
    assert re.search(r'filename="[ -~]+"', disposition)
    assert full.headers["ETag"].strip('"') and full.headers["Last-Modified"]
    assert full.headers["Accept-Ranges"] == "bytes"

    not_modified = testapp.get(url, headers={"If-None-Match": full.headers["ETag"]}, status=304)
    assert not_modified.body == b""

    partial = testapp.get(url, headers={"Range": "bytes=0-9"}, status=206)
    assert partial.body == full.body[:10]
    assert partial.headers["Content-Range"] == f"bytes 0-9/{len(full.body)}"

    inline = testapp.get(url.replace("@@download", "@@display-file"))
    assert inline.headers["Content-Disposition"].startswith("inline;")


def test_unknown_file_id_is_404(testapp, editor):
    add_folder(testapp, "/", "Vide")
    add_document(testapp, "/vide/", "Sans fichier", filename=None)
    testapp.get("/vide/sans-fichier/@@download/999999/x.pdf", status=404)
    testapp.get("/vide/sans-fichier/@@download/abc", status=404)
    testapp.get("/vide/sans-fichier/@@download", status=404)


def test_the_upload_help_states_the_configured_limit(testapp, editor):
    from bassin_cms.files.checks import human_size

    page = testapp.get("/@@add/document")
    limit = human_size(5 * 1024 * 1024)  # the tests' bassin.upload_max_bytes
    assert f"PDF de préférence ({limit} au plus)" in page.text and "200 Mo" not in page.text
