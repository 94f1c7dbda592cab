import pytest
from hypothesis import given
from hypothesis import strategies as st

from bassin_cms.content.text import (
    check_name,
    format_partial_date,
    parse_agents,
    parse_partial_date,
    sanitise_html,
    slugify,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2023", (2023, None, None)),
        ("2023-12", (2023, 12, None)),
        ("12/2023", (2023, 12, None)),
        ("2022-02-21", (2022, 2, 21)),
        ("21/02/2022", (2022, 2, 21)),
        (" 2016 ", (2016, None, None)),
    ],
)
def test_partial_dates(text, expected):
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize("text", ["", "au mois de mai 2023", "2023-13", "2023-02-30", "0999", "20233"])
def test_bad_partial_dates_say_why(text):
    with pytest.raises(ValueError) as info:
        parse_partial_date(text)
    assert str(info.value)


@given(st.text(max_size=40))
def test_parse_partial_date_never_crashes_otherwise(text):
    try:
        y, m, d = parse_partial_date(text)
    except ValueError:
        return
    assert 1000 <= y <= 2999


def test_format_partial_date_in_french():
    assert format_partial_date(2023, 12) == "décembre 2023"
    assert format_partial_date(2022, 2, 21) == "21 février 2022"
    assert format_partial_date(2016) == "2016"
    assert format_partial_date(None) == ""


def test_slugify_folds_accents_and_ligatures():
    assert slugify("Cœur d'Ostrevent – Étude n°2") == "coeur-d-ostrevent-etude-n-2"
    assert slugify("!!!") == "sans-titre"
    assert len(slugify("a" * 300)) == 80


def test_check_name():
    assert check_name("cahier-vue-2021") is None
    assert check_name("Cahier VUE") is not None
    assert check_name("../etc") is not None
    assert check_name("") is not None


def test_sanitise_keeps_structure_and_drops_danger():
    html = sanitise_html(
        '<h2>Titre</h2><p onclick="x()">Texte <a href="javascript:alert(1)">lien</a>'
        '<a href="https://example.org">ok</a></p><script>alert(1)</script><img src=x onerror=y>'
    )
    assert "<h2>Titre</h2>" in html
    assert "onclick" not in html and "javascript:" not in html and "<script" not in html and "<img" not in html
    assert 'href="https://example.org"' in html


def test_sanitise_turns_plain_text_into_paragraphs():
    assert sanitise_html("Un.\n\nDeux\ntrois & <b>gras</b>") == "<p>Un.</p><p>Deux<br>trois &amp; <b>gras</b></p>"
    assert sanitise_html("   ") == ""


def test_parse_agents():
    assert parse_agents("Olivier Sampson (illustrations)\n\nDREAL\n  Atelier (relecture) ") == [
        ("Olivier Sampson", "illustrations"),
        ("DREAL", ""),
        ("Atelier", "relecture"),
    ]


def test_csv_cells_never_start_a_formula_and_read_back():
    from bassin_cms.content.text import csv_cell, from_csv_cell

    for value in ("=1+1", "+33 3 21", "-5", "@SUM(A1)", "\tx", "Terril 74a", "", "l'harmonie", "'quoted"):
        cell = csv_cell(value)
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert from_csv_cell(cell) == value
    assert csv_cell(12) == "12" and csv_cell(None) == ""


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("mars 2024", (2024, 3, None)),
        ("Juin 2024", (2024, 6, None)),
        ("5 mars 2024", (2024, 3, 5)),
        ("1er juin 2024", (2024, 6, 1)),
        ("sept. 2021", (2021, 9, None)),
        ("décembre 2023", (2023, 12, None)),
        ("decembre 2023", (2023, 12, None)),
        ("21 février 2022", (2022, 2, 21)),
        ("March 2024", (2024, 3, None)),
    ],
)
def test_dates_typed_as_the_site_writes_them(typed, expected):
    from bassin_cms.content.text import format_partial_date, parse_partial_date

    assert parse_partial_date(typed) == expected
    assert parse_partial_date(format_partial_date(*expected)) == expected  # what the site shows reads back


@pytest.mark.parametrize("typed", ["31 février 2022", "brumaire 2024", "mars"])
def test_dates_that_do_not_exist_or_lack_a_year_are_refused(typed):
    from bassin_cms.content.text import parse_partial_date

    with pytest.raises(ValueError):
        parse_partial_date(typed)
