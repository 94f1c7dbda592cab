"""A failure answers a page of the site with a reference that the log also
holds: 500 for a fault, 503 (with Retry-After) when the database is away."""

import logging

import webtest

from bassin_cms import main
from bassin_cms.errors import ErrorMiddleware
from tests.conftest import ROOT


def test_an_unexpected_fault_gives_the_error_page_with_its_reference_in_the_log(testapp, monkeypatch, caplog):
    def broken(self, limit=6):
        raise RuntimeError("a bug in the home page")

    monkeypatch.setattr("bassin_cms.portal.services.Portal.latest", broken)
    with caplog.at_level(logging.ERROR, logger="bassin_cms.errors"):
        page = testapp.get("/", status=500)
    reference = page.headers["X-Error-Reference"]
    assert "Une erreur est survenue" in page.text and "Something went wrong" in page.text
    assert reference in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert any(reference in record.getMessage() and record.exc_info for record in caplog.records)
    assert "a bug in the home page" not in page.text and "Traceback" not in page.text


def test_a_database_outage_answers_503_on_every_page(app_settings, tmp_path):
    settings = dict(
        app_settings,
        **{
            "sqlalchemy.url": "postgresql+psycopg://nobody@127.0.0.1:9/nowhere",
            "bassin.var_dir": str(tmp_path),
            "bassin.files_dir": str(tmp_path / "files"),
            "bassin.index_dir": str(tmp_path / "index"),
        },
    )
    settings.pop("bassin.engine", None)
    visitor = webtest.TestApp(main({"here": str(ROOT)}, **settings), extra_environ={"HTTP_HOST": "example.com"})
    for path in ("/", "/login", "/search?q=terril", "/ressources/", "/api/resources"):
        page = visitor.get(path, expect_errors=True)
        assert page.status_int == 503, path
        assert "Service momentanément indisponible" in page.text and "Service temporarily unavailable" in page.text
        assert page.headers["Retry-After"] and page.headers["X-Error-Reference"] in page.text


def test_what_escapes_the_application_gets_the_page_too():
    def failing(environ, start_response):
        raise RuntimeError("commit failed")

    page = webtest.TestApp(ErrorMiddleware(failing, str(ROOT / "templates"))).get("/", status=500)
    assert page.headers["X-Error-Reference"] in page.text
