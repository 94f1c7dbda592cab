import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bassin_cms.files.checks import UploadRejected, check_upload, human_size
from bassin_cms.files.extraction import extract
from tests.conftest import make_pdf


def check(content, name, limit=1024 * 1024):
    return check_upload(io.BytesIO(content), name, limit)


def test_accepts_what_the_name_says():
    assert check(make_pdf(), "a.pdf")[1] == "application/pdf"
    assert check("Numéro;Nom\n74a;Terril".encode(), "terrils.csv")[1].startswith("text/csv")
    assert check("caf\xe9".encode("cp1252"), "notes.txt")[1].startswith("text/plain")


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"", "a.pdf", "est vide"),
        (b"%PDF-1.4" + b"0" * 2000, "a.pdf", "la limite"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 10, "a.pdf", "ne correspond pas"),
        (b"%PDF-1.4 xx", "a.docx", "ne correspond pas"),
        (b"hello", "a.exe", "n'est pas accepté"),
        (b"hello", "sans-extension", "n'a pas d'extension"),
        (b"\x00\x01\x02binary", "a.csv", "ne correspond pas"),
    ],
)
def test_refusals_say_why(content, name, message):
    with pytest.raises(UploadRejected) as info:
        check(content, name, limit=1000)
    assert message in str(info.value)


def test_human_size():
    assert human_size(512) == "512 o"
    assert human_size(2048) == "2,0 Ko"
    assert human_size(200 * 1024 * 1024) == "200,0 Mo"


def test_pdf_text_is_extracted_page_by_page(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(make_pdf("Chaîne des terrils", pages=3))
    result = extract(path, "application/pdf")
    assert result.status == "ok" and result.page_count == 3
    assert "Chaîne des terrils — page 2" in result.pages[1]
    assert result.thumbnail[:3] == b"\xff\xd8\xff"


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_never_crash_checks_or_extraction(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "x.pdf"
    path.write_bytes(b"%PDF-1.4\n" + data)
    try:
        check(path.read_bytes(), "x.pdf")
    except UploadRejected:
        pass
    result = extract(path, "application/pdf")
    assert result.status in ("ok", "damaged")
    image = extract(path, "image/png")
    assert image.status == "damaged"
