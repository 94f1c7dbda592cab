"""The rules of an index: its columns, its entries, CSV in and out."""
import csv
import io
import re
from dataclasses import dataclass, field

from bassin_cms.content.models import utcnow
from bassin_cms.content.text import fold

from .models import NUMBER, TEXT, IndexEntry, entry_anchor

MAX_COLUMNS = 20
MAX_ENTRIES = 5000
MAX_CELL = 1000
NUMBER_SUFFIX = re.compile(r"\s*:\s*(nombre|number)\s*$", re.IGNORECASE)


class IndexRuleError(ValueError):
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
            raise IndexRuleError(f"La colonne « {label} » est en double.")
        seen.add(fold(label))
        out.append((label, kind))
    if len(out) < 2:
        raise IndexRuleError("Un index a au moins deux colonnes : le numéro (ou code) puis le nom.")
    if len(out) > MAX_COLUMNS:
        raise IndexRuleError(f"{MAX_COLUMNS} colonnes au plus.")
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
            errors.append(f"« {column['label']} » dépasse {MAX_CELL} caractères")
            text = text[:MAX_CELL]
        if text and column["type"] == NUMBER:
            try:
                values[column["key"]] = parse_number(text)
            except ValueError:
                errors.append(f"« {column['label']} » : « {text[:40]} » n'est pas un nombre")
                values[column["key"]] = text
            continue
        values[column["key"]] = text
    if not values.get(columns[0]["key"]):
        errors.append(f"« {columns[0]['label']} » est vide")
    return values, errors


@dataclass
class ImportReport:
    accepted: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    rejected: list = field(default_factory=list)      # [(line number, reason)]
    ignored_columns: list = field(default_factory=list)
    missing_columns: list = field(default_factory=list)

    def lines(self):
        out = [f"{self.accepted} ligne(s) importée(s) : {self.added} ajoutée(s), {self.updated} mise(s) à jour"
               + (f", {self.removed} retirée(s)" if self.removed else "") + "."]
        if self.ignored_columns:
            out.append("Colonnes ignorées (inconnues de l'index) : " + ", ".join(self.ignored_columns) + ".")
        if self.missing_columns:
            out.append("Colonnes absentes du fichier (laissées vides) : " + ", ".join(self.missing_columns) + ".")
        out += [f"Ligne {n} rejetée : {reason}." for n, reason in self.rejected]
        return out


class IndexService:
    def __init__(self, dbsession):
        self.dbsession = dbsession

    def set_columns(self, index, text):
        index.columns = merge_columns(index.columns or [], parse_columns(text))

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
                problems.append(f"le numéro « {key} » est déjà celui de la ligne {keys[fold(key)]}")
            keys.setdefault(fold(key), number)
            errors += [(number, p) for p in problems]
            kept.append(values)
        if errors:
            return errors
        self._store(index, kept)
        return []

    def _store(self, index, rows):
        """Make the entries exactly ``rows`` (values dicts), in that order, keeping
        the entries (and their ids) whose key is unchanged."""
        existing = {fold(e.key): e for e in index.entries}
        entries, anchors = [], set()
        for position, values in enumerate(rows):
            key = str(values[index.columns[0]["key"]])
            entry = existing.pop(fold(key), None) or IndexEntry(key=key)
            entry.key, entry.values, entry.position = key, values, position
            anchor = entry_anchor(key)
            while anchor in anchors:
                anchor += "-2"
            anchors.add(anchor)
            entry.anchor = anchor
            entries.append(entry)
        # Anchors are unique per index: free the old ones before the new rows land.
        for entry in existing.values():
            index.entries.remove(entry)
        self.dbsession.flush()
        index.entries = entries
        # The entries are the index's content: a change to them is a change to
        # the index (new version for optimistic locking and `bassin-cms check`,
        # new modification date).
        index.modified = utcnow()
        self.dbsession.flush()

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
            raise IndexRuleError("Le fichier est vide.") from None
        except csv.Error as exc:
            raise IndexRuleError(f"Fichier CSV illisible : {exc}.") from None
        by_label = {fold(c["label"]): c for c in index.columns}
        positions = {}
        for i, name in enumerate(header):
            column = by_label.get(fold(name))
            if column is None:
                if name.strip():
                    report.ignored_columns.append(name.strip())
            else:
                positions[i] = column["key"]
        first = index.columns[0]
        if first["key"] not in positions.values():
            raise IndexRuleError(
                f"La première ligne du fichier doit nommer les colonnes, dont « {first['label']} ». "
                f"Colonnes attendues : {', '.join(c['label'] for c in index.columns)}.")
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
                    report.rejected.append((line, f"un index compte {MAX_ENTRIES} entrées au plus"))
                    continue
                if len(cells) > len(header):
                    report.rejected.append((line, f"{len(cells)} cellules pour {len(header)} colonnes"))
                    continue
                raw = {positions[i]: v for i, v in enumerate(cells) if i in positions}
                values, problems = clean_row(index.columns, raw)
                key = fold(str(values.get(first["key"]) or ""))
                if key and key in seen:
                    problems.append(f"le numéro « {values[first['key']]} » figure déjà ligne {seen[key]}")
                if problems:
                    report.rejected.append((line, " ; ".join(problems)))
                    continue
                seen[key] = line
                imported.append(values)
        except csv.Error as exc:
            report.rejected.append((reader.line_num, f"CSV illisible à partir d'ici ({exc})"))

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
            self._store(index, rows)
        return report

    @staticmethod
    def to_csv(index):
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow([c["label"] for c in index.columns])
        for entry in index.entries:
            writer.writerow([cell.replace("\u202f", "") for cell in entry.display_cells(index.columns)])
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
