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


def test_running_headers_and_footers_are_left_out_of_the_pages_text():
    from bassin_cms.files.extraction import without_running_lines

    body = ["Les terrils jumeaux.", "La chaîne des parcs.", "Les cités minières.", "Le 9-9bis.", "Arenberg."]
    pages = [
        f"Rapport d'activité 2023 — page {n + 1}\n{text}\nSuite du texte {text}\n{n + 1}" for n, text in enumerate(body)
    ]
    cleaned = without_running_lines(pages)
    assert cleaned[0].split("\n") == ["Les terrils jumeaux.", "Suite du texte Les terrils jumeaux."]
    assert "Rapport d'activité" not in "".join(cleaned) and all(text in "".join(cleaned) for text in body)
    assert without_running_lines(pages[:2]) == pages[:2]  # too few pages to tell
    one_line = [f"Chaîne des terrils — page {n}" for n in range(1, 5)]
    assert without_running_lines(one_line) == one_line  # a page of one line keeps it


def test_the_reports_inline_marks_are_laid_out_not_printed():
    from bassin_cms.pdf.text_document import inline_markup

    assert inline_markup("la 1^{ère} **photographie** et *Odyssée*, 3*4") == (
        "la 1<super>ère</super> <b>photographie</b> et <i>Odyssée</i>, 3*4"
    )
