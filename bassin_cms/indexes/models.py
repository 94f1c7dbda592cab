"""An index: a resource whose content is a table of entries (the 78 classified
slag heaps, say), each entry findable on its own."""

import re

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bassin_cms.content.models import Resource
from bassin_cms.content.text import fold, folded_words, slugify
from bassin_cms.db import Base

NUMBER = "number"
TEXT = "text"


class IndexResource(Resource):
    """``columns`` is the list of {"key", "label", "type"} that each entry fills;
    the first column identifies an entry ("74a"), the second names it. Keys are
    stable ("c1", "c2"...) so that renaming a column keeps its values."""

    __tablename__ = "indexes"
    id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True)
    columns: Mapped[list] = mapped_column(JSON, default=list)
    entry_label: Mapped[str] = mapped_column(String(100), default="Entrée")

    entries: Mapped[list["IndexEntry"]] = relationship(
        "IndexEntry",
        order_by="IndexEntry.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
        back_populates="index",
    )

    __mapper_args__ = {"polymorphic_identity": "index"}

    def ordered_entries(self, column=None, contains=""):
        """The entries as people look them up: by their number in natural order
        (1, 2, 74, 74a, 75, 101), or by ``column`` (its key) then number; only
        those with a cell containing ``contains`` (accents and case aside)."""
        first = self.columns[0]["key"] if self.columns else None
        wanted = _words(contains)
        out = [e for e in self.entries if not wanted or any(wanted in _words(v) for v in e.cells(self.columns))]
        by = next((c for c in self.columns if c["key"] == column), None)

        def key(entry):
            number = natural_key(entry.values.get(first, entry.key) if first else entry.key)
            if by is None or by["key"] == first:
                return (number,)
            value = entry.values.get(by["key"])
            if by["type"] == NUMBER:
                return (value is None, value if isinstance(value, (int, float)) else 0, number)
            return (value in (None, ""), natural_key(value), number)

        return sorted(out, key=key)

    def search_parts(self):
        """One search part per entry: its anchor, its title and its other cells."""
        return [
            {
                "anchor": e.anchor,
                "title": e.title(self.columns, self.entry_label),
                "key": e.key,
                # Its number and name are in its title: the other cells here.
                "text": " ".join(str(v) for v in e.cells(self.columns)[2:] if v not in (None, "")),
            }
            for e in self.entries
        ]


class IndexEntry(Base):
    __tablename__ = "index_entries"
    __table_args__ = (UniqueConstraint("index_id", "anchor", name="uq_index_entries_index_id_anchor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    index_id: Mapped[int] = mapped_column(ForeignKey("indexes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    key: Mapped[str] = mapped_column(String(100))  # the first column's value, as typed
    anchor: Mapped[str] = mapped_column(String(120))  # "entree-74a": the entry's place in the page
    values: Mapped[dict] = mapped_column(JSON, default=dict)

    index: Mapped[IndexResource] = relationship(IndexResource, back_populates="entries")

    def cells(self, columns):
        return [self.values.get(c["key"], "") for c in columns]

    def display_cells(self, columns):
        """The cells as shown: numbers the French way ("12,5")."""
        return [format_cell(self.values.get(c["key"]), c["type"]) for c in columns]

    def title(self, columns, entry_label="Entrée"):
        cells = [str(v) for v in self.cells(columns)[:2] if v not in (None, "")]
        return f"{entry_label} {' — '.join(cells)}".strip()


def _words(value):
    """ " loos en gohelle " for "Loos-en-Gohelle": punctuation, accents and case aside."""
    words = folded_words(str(value if value is not None else ""))
    return f" {' '.join(words)} " if words else ""


def natural_key(value):
    """Numbers in a text compared as numbers: "74a" after "74", before "75"."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.findall(r"\d+|\D+", fold(str(value or "")))
    )


def format_cell(value, kind=TEXT):
    if value in (None, ""):
        return ""
    if kind == NUMBER and isinstance(value, (int, float)):
        return f"{value:,}".replace(",", "\u202f").replace(".", ",")
    return str(value)


def entry_anchor(key):
    return "entree-" + slugify(key, max_length=100)
