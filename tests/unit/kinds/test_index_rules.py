"""The rules of an index on their own: columns, numbers, CSV in and out."""

import csv
import io

import pytest

from bassin_cms.indexes.models import IndexEntry, IndexResource, format_cell
from bassin_cms.indexes.services import (
    IndexRuleError,
    IndexService,
    merge_columns,
    parse_columns,
    parse_number,
)


class FakeSession:
    def flush(self):
        pass


def make_index(columns="N°\nNom\nCommunes\nEPCI\nSurface (ha) : nombre"):
    index = IndexResource(title="Index des terrils", columns=[], entry_label="Terril")
    index.columns = merge_columns([], parse_columns(columns))
    return index


def service():
    return IndexService(FakeSession())


def test_columns_are_parsed_with_their_type_and_checked():
    assert parse_columns("N°\n\nNom\nSurface (ha) : nombre") == [
        ("N°", "text"),
        ("Nom", "text"),
        ("Surface (ha)", "number"),
    ]
    with pytest.raises(IndexRuleError, match="au moins deux"):
        parse_columns("N°")
    with pytest.raises(IndexRuleError, match="en double"):
        parse_columns("Nom\nnom")


def test_renaming_a_column_keeps_its_values_and_a_new_column_gets_a_new_key():
    old = merge_columns([], parse_columns("N°\nNom\nSurface"))
    renamed = merge_columns(old, parse_columns("N°\nNom du terril\nCommunes\nSurface"))
    keys = {c["label"]: c["key"] for c in renamed}
    assert keys["N°"] == old[0]["key"]
    assert keys["Nom du terril"] == old[1]["key"]  # renamed in place
    assert keys["Surface"] == old[2]["key"]  # moved, same label
    assert keys["Communes"] not in {c["key"] for c in old}  # new


def test_numbers_typed_the_french_way():
    assert parse_number("12,5") == 12.5
    assert parse_number("1 234") == 1234
    assert parse_number("7") == 7
    with pytest.raises(ValueError):
        parse_number("environ 12")
    assert format_cell(1234.5, "number") == "1\u202f234,5"


def rows_csv(rows, delimiter=";", header=("N°", "Nom", "Communes", "EPCI", "Surface (ha)")):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def test_import_reports_every_rejected_line_with_its_number_and_keeps_the_rest():
    index = make_index()
    data = rows_csv(
        [
            ["74a", "Pointe du terril 74a", "Loos-en-Gohelle", "CALL", "12,5"],  # line 2
            ["", "Sans numéro", "Lens", "CALL", "3"],  # line 3: no number
            ["101", "Terril 101", "Loos-en-Gohelle", "CALL", "beaucoup"],  # line 4: not a number
            ["74A", "Doublon", "Loos-en-Gohelle", "CALL", "1"],  # line 5: duplicate of 74a
            ["58", "Terrils jumeaux", "Loos-en-Gohelle", "CALL", "90"],  # line 6
            ["9", "Trop", "de", "cellules", "1", "2"],  # line 7: too many cells
        ]
    ).encode("cp1252")  # as Excel saves it on Windows
    report = service().import_csv(index, data)
    assert report.accepted == 2 and report.added == 2
    assert [n for n, _ in report.rejected] == [3, 4, 5, 7]
    lines = report.lines()
    assert any("Ligne 4 rejetée" in line and "« beaucoup » n'est pas un nombre" in line for line in lines)
    assert any("Ligne 5 rejetée" in line and "figure déjà ligne 2" in line for line in lines)
    assert [e.key for e in index.entries] == ["74a", "58"]
    assert index.entries[0].values[index.columns[4]["key"]] == 12.5
    assert index.entries[0].anchor == "entree-74a"


def test_import_merges_by_number_or_replaces_and_tells_about_columns():
    index = make_index()
    service().import_csv(index, rows_csv([["1", "Un", "Lens", "CALL", "1"], ["2", "Deux", "Lens", "CALL", "2"]]))
    report = service().import_csv(
        index,
        rows_csv(
            [["2", "Deux bis", "Lens"], ["3", "Trois", "Liévin"]],
            delimiter=",",
            header=("n°", "NOM", "communes", "Remarque"),
        ),
    )
    assert report.updated == 1 and report.added == 1
    assert "Remarque" in report.ignored_columns and "EPCI" in report.missing_columns
    assert [e.key for e in index.entries] == ["1", "2", "3"]
    # the surface of entry 2 was not in the file: it is kept
    assert index.entries[1].values[index.columns[4]["key"]] == 2
    assert index.entries[1].values[index.columns[1]["key"]] == "Deux bis"
    report = service().import_csv(index, rows_csv([["3", "Trois", "Liévin", "CALL", "3"]]), replace=True)
    assert report.removed == 2 and [e.key for e in index.entries] == ["3"]


def test_a_file_without_the_number_column_is_refused_with_the_expected_columns():
    index = make_index()
    with pytest.raises(IndexRuleError, match="Colonnes attendues : N°, Nom"):
        service().import_csv(index, b"Nom;Communes\nTerril;Lens\n")
    with pytest.raises(IndexRuleError, match="vide"):
        service().import_csv(index, b"")


def test_export_gives_back_what_was_imported():
    index = make_index()
    source = rows_csv([["74a", "Pointe du terril 74a", "Loos-en-Gohelle", "CALL", "12,5"]])
    service().import_csv(index, source.encode())
    exported = service().to_csv(index)
    assert exported.startswith("\ufeff")
    assert exported[1:].replace("\r\n", "\n") == source.replace("\r\n", "\n")


def test_entries_in_a_territory_are_found_by_its_names_and_communes_word_for_word():
    index = make_index()
    service().import_csv(
        index,
        rows_csv(
            [
                ["1", "Terril de Lens", "Lens", "", ""],
                ["2", "Terril de Wallers", "Wallers-Arenberg", "CAPH", ""],
                ["3", "Terril de Liévin", "Lievin", "", ""],
                ["4", "Terril de Lens-Ouest", "Lensois", "", ""],
            ]
        ).encode(),
    )
    found = IndexService.entries_in_territory(index, ["Communauté d'agglomération de Lens-Liévin", "CALL", "Liévin"])
    assert [e.key for e in found] == ["3"]
    found = IndexService.entries_in_territory(index, ["Lens"])
    assert [e.key for e in found] == ["1", "4"]  # "Lens-Ouest" names Lens, "Lensois" does not


def test_an_entry_is_a_search_part_with_its_anchor_title_and_other_cells():
    index = make_index()
    index.entries = [
        IndexEntry(
            key="74a",
            anchor="entree-74a",
            values={
                index.columns[0]["key"]: "74a",
                index.columns[1]["key"]: "Pointe du terril",
                index.columns[2]["key"]: "Loos-en-Gohelle",
            },
        )
    ]
    assert index.search_parts() == [
        {
            "anchor": "entree-74a",
            "title": "Terril 74a — Pointe du terril",
            "key": "74a",
            "text": "Loos-en-Gohelle",  # its number and name are in its title, not repeated
        }
    ]


def test_a_cell_that_a_spreadsheet_would_run_is_exported_as_text_and_imports_back():
    """OWASP's CSV injection: =, +, -, @ at the start of a cell."""
    index = make_index()
    hostile = '=HYPERLINK("http://evil.example","clic")'
    service().import_csv(index, rows_csv([["74a", hostile, "@Lens", "-CALL", "1"]]).encode())
    exported = service().to_csv(index)
    cells = next(row for row in csv.reader(io.StringIO(exported[1:]), delimiter=";") if row[0] == "74a")
    assert cells[1:4] == ["'" + hostile, "'@Lens", "'-CALL"]
    again = make_index()
    service().import_csv(again, exported.encode())
    assert [e.values for e in again.entries] == [e.values for e in index.entries]


def test_entries_are_looked_up_in_natural_order_sorted_and_filtered_by_any_column():
    index = make_index()
    rows = [
        ("74", "Terril 74", "Loos-en-Gohelle", "CALL", 12.5),
        ("74a", "Pointe du terril 74a", "Loos-en-Gohelle", "CALL", 3),
        ("101", "Terril T101", "Loos-en-Gohelle", "CALL", None),
        ("75", "Terril 75", "Haillicourt", "CABBALR", 20),
        ("1", "Terril 1", "Wallers", "CAPH", 7),
        ("2", "Terril 2", "Haveluy", "CAPH", 1),
        ("58", "Terril 58", "Ruitz", "CABBALR", 40),
        ("205", "Terril 205", "Oignies", "CAHC", 5),
    ]
    keys = [c["key"] for c in index.columns]
    for position, row in enumerate(rows):  # entry order, as typed: 74, 74a, 101, 75, 1, 2, 58, 205
        index.entries.append(IndexEntry(key=row[0], position=position, values=dict(zip(keys, row, strict=True))))

    def numbers(entries):
        return [e.key for e in entries]

    assert numbers(index.ordered_entries()) == ["1", "2", "58", "74", "74a", "75", "101", "205"]
    epci, surface = keys[3], keys[4]
    assert numbers(index.ordered_entries(epci))[:3] == ["58", "75", "205"]  # CABBALR, CABBALR, CAHC
    assert numbers(index.ordered_entries(surface)) == ["2", "74a", "205", "1", "74", "75", "58", "101"]
    assert numbers(index.ordered_entries(contains="loos en gohelle")) == ["74", "74a", "101"]
    assert numbers(index.ordered_entries(contains="LOOS-en")) == ["74", "74a", "101"]
    assert numbers(index.ordered_entries(contains="oos")) == []  # whole words, as a visitor types them
    assert numbers(index.ordered_entries(epci, contains="cabbalr")) == ["58", "75"]
