"""A poster: a large-format print (A0-A3 or a custom size), its print run, the
guide it summarises and, when it was generated, the index and territory it
came from. Its print-quality PDF is its main file."""

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bassin_cms.content.models import Node, Resource, Term
from bassin_cms.i18n import _

PAPER_SIZES_MM = {"A0": (841, 1189), "A1": (594, 841), "A2": (420, 594), "A3": (297, 420)}
ORIENTATIONS = {"portrait": _("Portrait"), "landscape": _("Paysage")}


class PosterResource(Resource):
    __tablename__ = "posters"
    id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True)
    paper: Mapped[str] = mapped_column(String(10), default="A1")  # A0..A3 or "custom"
    width_mm: Mapped[int | None] = mapped_column(Integer)  # for "custom"
    height_mm: Mapped[int | None] = mapped_column(Integer)
    orientation: Mapped[str] = mapped_column(String(10), default="portrait")
    print_run: Mapped[int | None] = mapped_column(Integer)
    summarises_id: Mapped[int | None] = mapped_column(ForeignKey("nodes.id", ondelete="SET NULL"))
    source_index_id: Mapped[int | None] = mapped_column(ForeignKey("nodes.id", ondelete="SET NULL"))
    source_territory_id: Mapped[int | None] = mapped_column(ForeignKey("terms.id", ondelete="SET NULL"))

    summarises: Mapped[Node | None] = relationship(Node, foreign_keys=[summarises_id])
    source_index: Mapped[Node | None] = relationship(Node, foreign_keys=[source_index_id])
    source_territory: Mapped[Term | None] = relationship(Term, foreign_keys=[source_territory_id])

    __mapper_args__ = {"polymorphic_identity": "poster", "inherit_condition": id == Resource.id}

    def size_mm(self):
        """(width, height) in millimetres, the orientation applied."""
        if self.paper == "custom" and self.width_mm and self.height_mm:
            return self.width_mm, self.height_mm
        short, long_ = PAPER_SIZES_MM.get(self.paper, PAPER_SIZES_MM["A1"])
        return (long_, short) if self.orientation == "landscape" else (short, long_)

    def format_label(self):
        width, height = self.size_mm()
        name = "Format personnalisé" if self.paper == "custom" else self.paper
        return f"{name}, {ORIENTATIONS.get(self.orientation, self.orientation).lower()} ({width} × {height} mm)"
