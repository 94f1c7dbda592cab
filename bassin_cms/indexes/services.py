"""The rules of an index: its columns, its entries, CSV in and out."""

import csv
import io
import re
from dataclasses import dataclass, field

from bassin_cms.content.models import utcnow
from bassin_cms.content.text import csv_cell, fold, from_csv_cell
from bassin_cms.i18n import Refusal, _, french

from .models import NUMBER, TEXT, IndexEntry, entry_anchor

MAX_COLUMNS = 20
MAX_ENTRIES = 5000
MAX_CELL = 1000
NUMBER_SUFFIX = re.compile(r"\s*:\s*(nombre|number)\s*$", re.IGNORECASE)


class IndexRuleError(Refusal):
    """A rule of the index was broken; the message is for the editor."""


# --- columns -------------------------------------------------------------------
def parse_columns(text):
    """'N°\\nNom\\nSurface (ha) : nombre' -> [(label, type)]; a message on error."""
    out, seen = [], set()
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        kind = NUMBER if NUMBER_SUFFIX.search(line) else TEXT
        label = NUMBER_SUFFIX.sub("", line).strip()[:100]
        if not label:
            continue
        if fold(label) in seen:
            raise IndexRuleError(_("La colonne « ${label} » est en double.", mapping={"label": label}))
        seen.add(fold(label))
        out.append((label, kind))
    if len(out) < 2:
        raise IndexRuleError(_("Un index a au moins deux colonnes : le numéro (ou code) puis le nom."))
    if len(out) > MAX_COLUMNS:
        raise IndexRuleError(_("${max} colonnes au plus.", mapping={"max": MAX_COLUMNS}))
    return out


def format_columns(columns):
    return "\n".join(c["label"] + (" : nombre" if c["type"] == NUMBER else "") for c in columns)


def merge_columns(old, wanted):
    """The new column list: a column keeps its key (and so its values) when its
    label is unchanged, or, renamed, when it stays at the same place."""
    by_label = {fold(c["label"]): c for c in old}
    used, out = set(), []
    next_key = 1 + max((int(c["key"][1:]) for c in old if c["key"][1:].isdigit()), default=0)
    for position, (label, kind) in enumerate(wanted):
        same = by_label.get(fold(label))
        if same is None and position < len(old) and fold(old[position]["label"]) not in {fold(w) for w, _ in wanted}:
            same = old[position]  # renamed in place
        if same is not None and same["key"] not in used:
            key = same["key"]
        else:
            key = f"c{next_key}"
            next_key += 1
        used.add(key)
        out.append({"key": key, "label": label, "type": kind})
    return out


# --- cells ------------------------------------------------------------------------
def parse_number(text):
    """'12,5', '1 234', '12.5' -> 12.5 (int when whole); ValueError otherwise."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", str(text)).replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise ValueError(text)
    number = float(cleaned)
    return int(number) if number.is_integer() and "." not in cleaned else number


def clean_row(columns, raw):
    """(values, errors) for one row of strings keyed by column key."""
    values, errors = {}, []
    for column in columns:
        text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", str(raw.get(column["key"]) or "")).strip()
        if len(text) > MAX_CELL:
            errors.append(
                _("« ${column} » dépasse ${max} caractères", mapping={"column": column["label"], "max": MAX_CELL})
            )
            text = text[:MAX_CELL]
        if text and column["type"] == NUMBER:
            try:
                values[column["key"]] = parse_number(text)
            except ValueError:
                errors.append(
                    _(
                        "« ${column} » : « ${text} » n'est pas un nombre",
                        mapping={"column": column["label"], "text": text[:40]},
                    )
                )
                values[column["key"]] = text
            continue
        values[column["key"]] = text
    if not values.get(columns[0]["key"]):
        errors.append(_("« ${column} » est vide", mapping={"column": columns[0]["label"]}))
    return values, errors


@dataclass
class ImportReport:
    accepted: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    rejected: list = field(default_factory=list)  # [(line number, reason)]
    ignored_columns: list = field(default_factory=list)
    missing_columns: list = field(default_factory=list)

    def messages(self):
        """[(message, rejected line?)] for the page that shows the report."""
        counts = {"accepted": self.accepted, "added": self.added, "updated": self.updated, "removed": self.removed}
        out = [
            (
                _(
                    "${accepted} ligne(s) importée(s) : ${added} ajoutée(s), ${updated} mise(s) à jour, "
                    "${removed} retirée(s).",
                    mapping=counts,
                )
                if self.removed
                else _(
                    "${accepted} ligne(s) importée(s) : ${added} ajoutée(s), ${updated} mise(s) à jour.", mapping=counts
                ),
                False,
            )
        ]
        if self.ignored_columns:
            out.append(
                (
                    _(
                        "Colonnes ignorées (inconnues de l'index) : ${columns}.",
                        mapping={"columns": ", ".join(self.ignored_columns)},
                    ),
                    False,
                )
            )
        if self.missing_columns:
            out.append(
                (
                    _(
                        "Colonnes absentes du fichier (laissées vides) : ${columns}.",
                        mapping={"columns": ", ".join(self.missing_columns)},
                    ),
                    False,
                )
            )
        out += [
            (_("Ligne ${number} rejetée : ${reason}.", mapping={"number": n, "reason": reason}), True)
            for n, reason in self.rejected
        ]
        return out

    def lines(self):
        """The report in French, for the command line."""
        return [french(message) for message, _rejected in self.messages()]


class IndexService:
    def __init__(self, dbsession):
        self.dbsession = dbsession

    def set_columns(self, index, text):
        before = [c["label"] for c in index.columns or []]
        index.columns = merge_columns(index.columns or [], parse_columns(text))
        after = [c["label"] for c in index.columns]
        if before and after != before:
            index.note_change("index_columns", before=before, after=after)

    def replace_entries(self, index, rows):
        """Save the table as edited: ``rows`` is [(values, delete flag)] in order.
        Returns [(row number, message)] for the rows refused; nothing is saved
        then (the editor corrects the table and sends it again)."""
        errors, kept, keys = [], [], {}
        for number, (raw, remove) in enumerate(rows, start=1):
            if remove or not any(str(v or "").strip() for v in raw.values()):
                continue
            values, problems = clean_row(index.columns, raw)
            key = str(values.get(index.columns[0]["key"]) or "")
            if key and fold(key) in keys:
                problems.append(
                    _(
                        "le numéro « ${key} » est déjà celui de la ligne ${line}",
                        mapping={"key": key, "line": keys[fold(key)]},
                    )
                )
            keys.setdefault(fold(key), number)
            errors += [(number, p) for p in problems]
            kept.append(values)
        if errors:
            return errors
        index.note_change("index_entries", **self._store(index, kept))
        return []

    def _store(self, index, rows):
        """Make the entries exactly ``rows`` (values dicts), in that order, keeping
        the entries (and their ids) whose key is unchanged; {"added", "changed",
        "removed": [numbers]} for the audit log."""
        existing = {fold(e.key): e for e in index.entries}
        before = {k: dict(e.values) for k, e in existing.items()}
        told = {"added": [], "changed": [], "removed": []}
        entries, anchors = [], set()
        for position, values in enumerate(rows):
            key = str(values[index.columns[0]["key"]])
            entry = existing.pop(fold(key), None) or IndexEntry(key=key)
            if fold(key) not in before:
                told["added"].append(key)
            elif before[fold(key)] != values:
                told["changed"].append(key)
            entry.key, entry.values, entry.position = key, values, position
            anchor = entry_anchor(key)
            while anchor in anchors:
                anchor += "-2"
            anchors.add(anchor)
            entry.anchor = anchor
            entries.append(entry)
        # Anchors are unique per index: free the old ones before the new rows land.
        for entry in existing.values():
            told["removed"].append(entry.key)
            index.entries.remove(entry)
        self.dbsession.flush()
        index.entries = entries
        # The entries are the index's content: a change to them is a change to
        # the index (new version for optimistic locking and `bassin-cms check`,
        # new modification date).
        index.modified = utcnow()
        self.dbsession.flush()
        return {k: v[:50] for k, v in told.items() if v}  # at most 50 numbers of each

    def import_csv(self, index, data, replace=False):
        """Import rows from CSV bytes. The header row names the columns (as in
        the index, in any order, accents and case ignored). Rows whose number is
        already there update that entry; with ``replace`` the entries not in the
        file are removed. Each rejected row is reported with its line number."""
        report = ImportReport()
        text = decode(data)
        # The separator is the one the header line uses most (";" from a French
        # spreadsheet, "," or a tab otherwise): csv.Sniffer guesses wrong as soon
        # as rows have fewer cells than the header.
        first_line = text.split("\n", 1)[0]
        delimiter = max(";,\t", key=lambda d: (first_line.count(d), d == ";"))
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            raise IndexRuleError(_("Le fichier est vide.")) from None
        except csv.Error as exc:
            raise IndexRuleError(_("Fichier CSV illisible : ${error}.", mapping={"error": str(exc)})) from None
        by_label = {fold(c["label"]): c for c in index.columns}
        positions = {}
        for i, name in enumerate(header):
            name = from_csv_cell(name)
            column = by_label.get(fold(name))
            if column is None:
                if name.strip():
                    report.ignored_columns.append(name.strip())
            else:
                positions[i] = column["key"]
        first = index.columns[0]
        if first["key"] not in positions.values():
            raise IndexRuleError(
                _(
                    "La première ligne du fichier doit nommer les colonnes, dont « ${first} ». "
                    "Colonnes attendues : ${columns}.",
                    mapping={"first": first["label"], "columns": ", ".join(c["label"] for c in index.columns)},
                )
            )
        report.missing_columns = [c["label"] for c in index.columns if c["key"] not in positions.values()]

        current = [dict(e.values) for e in index.entries]
        order = {fold(str(v[first["key"]])): i for i, v in enumerate(current)}
        seen = {}
        imported = []
        try:
            for cells in reader:
                line = reader.line_num
                if not any(c.strip() for c in cells):
                    continue
                if len(imported) >= MAX_ENTRIES:
                    report.rejected.append(
                        (line, _("un index compte ${max} entrées au plus", mapping={"max": MAX_ENTRIES}))
                    )
                    continue
                if len(cells) > len(header):
                    report.rejected.append(
                        (
                            line,
                            _(
                                "${cells} cellules pour ${columns} colonnes",
                                mapping={"cells": len(cells), "columns": len(header)},
                            ),
                        )
                    )
                    continue
                raw = {positions[i]: from_csv_cell(v) for i, v in enumerate(cells) if i in positions}
                values, problems = clean_row(index.columns, raw)
                key = fold(str(values.get(first["key"]) or ""))
                if key and key in seen:
                    problems.append(
                        _(
                            "le numéro « ${key} » figure déjà ligne ${line}",
                            mapping={"key": values[first["key"]], "line": seen[key]},
                        )
                    )
                if problems:
                    report.rejected.append((line, problems))
                    continue
                seen[key] = line
                imported.append(values)
        except csv.Error as exc:
            report.rejected.append(
                (reader.line_num, _("CSV illisible à partir d'ici (${error})", mapping={"error": str(exc)}))
            )

        rows = [] if replace else current
        for values in imported:
            key = fold(str(values[first["key"]]))
            if not replace and key in order:
                merged = dict(rows[order[key]])
                merged.update({k: v for k, v in values.items() if k in positions.values()})
                rows[order[key]] = merged
                report.updated += 1
            else:
                if replace and key in order:
                    report.updated += 1
                else:
                    report.added += 1
                rows.append(values)
        report.accepted = len(imported)
        if replace:
            report.removed = len(set(order) - set(seen))
        if imported or replace:
            told = {"added": report.added, "updated": report.updated, "removed": report.removed}
            index.note_change("index_import", rejected=len(report.rejected), replace=replace, **told)
            self._store(index, rows)
        return report

    @staticmethod
    def to_csv(index):
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow([csv_cell(c["label"]) for c in index.columns])
        for entry in index.entries:
            writer.writerow([csv_cell(cell.replace("\u202f", "")) for cell in entry.display_cells(index.columns)])
        return "\ufeff" + out.getvalue()

    @staticmethod
    def entries_in_territory(index, names):
        """The entries one of whose cells names one of ``names`` (a territory's
        label, acronym, other names and communes), compared folded, word for word."""
        wanted = [fold(n) for n in names if n and n.strip()]
        patterns = [re.compile(r"(?<!\w)" + re.escape(n) + r"(?!\w)") for n in wanted]
        out = []
        for entry in index.entries:
            cells = " | ".join(fold(str(v)) for v in entry.cells(index.columns)[1:])
            if any(p.search(cells) for p in patterns):
                out.append(entry)
        return out


def decode(data):
    """CSV bytes from a spreadsheet: UTF-8 (with or without BOM), else Windows-1252."""
    if isinstance(data, str):
        return data
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")
