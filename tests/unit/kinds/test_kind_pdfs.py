"""The index and poster PDFs, parsed back with pypdfium2."""

import re

import pypdfium2

from bassin_cms.pdf.index_table import index_table
from bassin_cms.pdf.poster import poster
from tests.conftest import pdf_pages

COLUMNS = ["N°", "Nom", "Communes", "EPCI", "Statut", "Surface (ha)"]


def names(text, numbers):
    """The entries' names found in a PDF's text (a name may wrap in its cell)."""
    return [n for n in numbers if re.search(rf"Terril\s+numéro\s+{n}(?!\d)", text)]


def rows(count):
    return [[str(n), f"Terril numéro {n}", "Loos-en-Gohelle", "CALL", "classé", f"{n},5"] for n in range(1, count + 1)]


def test_index_pdf_has_a_title_page_then_the_table_with_its_header_on_every_page():
    pages = pdf_pages(
        index_table(
            {
                "title": "Index du site classé de la Chaîne des terrils",
                "summary": "Les 78 terrils classés.",
                "date": "décembre 2017",
                "publisher": "Mission Bassin Minier",
                "permalink": "https://example.com/r/abc",
                "columns": COLUMNS,
                "numeric": [False] * 5 + [True],
                "rows": rows(78),
                "entry_label": "Terril",
            }
        )
    )
    assert len(pages) >= 3
    assert "Index du site classé de la Chaîne des terrils" in pages[0] and "78 entrée(s)" in pages[0]
    assert "Terril numéro" not in pages[0]
    for page in pages[1:]:
        assert "Surface (ha)" in page and "Communes" in page  # the repeated header
    assert "Page 2" in pages[1]
    everything = "".join(pages)
    assert names(everything, range(1, 79)) == list(range(1, 79))


def test_poster_is_one_page_of_the_paper_size_with_all_the_entries():
    data = {
        "title": "Les terrils classés — CALL",
        "territory": "Communauté d'agglomération de Lens-Liévin (CALL)",
        "subtitle": "12 terrils",
        "width_mm": 594,
        "height_mm": 841,
        "columns": COLUMNS,
        "rows": rows(12),
        "credits": "Mission Bassin Minier Nord-Pas de Calais",
        "permalink": "https://example.com/r/xyz",
    }
    body = poster(data)
    document = pypdfium2.PdfDocument(body)
    width, height = document[0].get_size()
    document.close()
    assert round(width / 72 * 25.4) == 594 and round(height / 72 * 25.4) == 841
    pages = pdf_pages(body)
    assert len(pages) == 1
    assert "Les terrils classés — CALL" in pages[0] and "https://example.com/r/xyz" in pages[0]
    assert names(pages[0], range(1, 13)) == list(range(1, 13))


def test_a_poster_with_many_entries_still_fits_one_page():
    data = {
        "title": "Tous les terrils",
        "territory": "Bassin minier",
        "subtitle": "",
        "width_mm": 297,
        "height_mm": 420,
        "columns": COLUMNS,
        "rows": rows(78),
        "credits": "MBM",
        "permalink": "https://e.x/r/1",
    }
    pages = pdf_pages(poster(data))
    assert len(pages) == 1
    assert names(pages[0], range(1, 79)) == list(range(1, 79))


def inked_share(body, below=0.0, above=1.0):
    """The share of the page's height between ``below`` and ``above`` (from the
    bottom, as fractions) that holds text: how much of the sheet is used."""
    document = pypdfium2.PdfDocument(body)
    page = document[0]
    _width, height = page.get_size()
    text = page.get_textpage()
    rows = set()
    for index in range(text.count_chars()):
        _left, bottom, _right, top = text.get_charbox(index)
        if below * height <= bottom and top <= above * height:
            rows.update(range(int(bottom), int(top) + 1))
    text.close()
    page.close()
    document.close()
    return len(rows) / ((above - below) * height)


def test_a_poster_of_few_entries_fills_its_sheet():
    """Two cards on an A3 filled about 15 % of it: type and columns now grow to the sheet."""
    data = {
        "title": "Les terrils classés — CAHC",
        "territory": "Communauté d'agglomération d'Hénin-Carvin (CAHC)",
        "subtitle": "2 terrils",
        "width_mm": 297,
        "height_mm": 420,
        "columns": COLUMNS,
        "rows": rows(2),
        "credits": "Mission Bassin Minier Nord-Pas de Calais",
        "permalink": "https://example.com/r/xyz",
    }
    body = poster(data)
    assert len(pdf_pages(body)) == 1
    # The body of the sheet, between the title band and the footer: mostly type.
    assert inked_share(body, below=0.15, above=0.85) > 0.45
