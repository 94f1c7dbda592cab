"""A technical guide: editions (the canonical page shows the current one),
chapters with a table of contents, the resources it cites and the bodies to
contact, which are shared between guides."""

import datetime as dt

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bassin_cms.content.models import Node, Resource, utcnow
from bassin_cms.content.text import format_partial_date, sanitise_html, strip_tags
from bassin_cms.db import Base, UTCDateTime
from bassin_cms.files.models import ResourceFile

guide_contacts = Table(
    "guide_contacts",
    Base.metadata,
    Column("guide_id", ForeignKey("guides.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True, index=True),
)

edition_files = Table(
    "guide_edition_files",
    Base.metadata,
    Column("edition_id", ForeignKey("guide_editions.id", ondelete="CASCADE"), primary_key=True),
    Column("file_id", ForeignKey("resource_files.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Contact(Base):
    """A body a guide tells its readers to contact (UDAP, CAUE, the agency...),
    kept once and listed by as many guides as need it."""

    __tablename__ = "contacts"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(250), default="")
    web: Mapped[str] = mapped_column(String(500), default="")

    def lines(self):
        """The contact as printed: name, then each non-empty detail."""
        return [x for x in (self.name, *self.address.splitlines(), self.phone, self.email, self.web) if x.strip()]


class GuideResource(Resource):
    __tablename__ = "guides"
    id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True)

    editions: Mapped[list["GuideEdition"]] = relationship(
        "GuideEdition",
        order_by="GuideEdition.number",
        cascade="all, delete-orphan",
        passive_deletes=True,
        back_populates="guide",
    )
    chapters: Mapped[list["GuideChapter"]] = relationship(
        "GuideChapter", order_by="GuideChapter.position", cascade="all, delete-orphan", passive_deletes=True
    )
    links: Mapped[list["GuideLink"]] = relationship(
        "GuideLink",
        order_by="GuideLink.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
        foreign_keys="GuideLink.guide_id",
    )
    contacts: Mapped[list[Contact]] = relationship(Contact, secondary=guide_contacts, order_by=Contact.name)

    __mapper_args__ = {"polymorphic_identity": "guide"}

    def current_edition(self):
        """The edition the canonical page shows: the most recent by date (the
        one added last when two share a date)."""
        return max(self.editions, key=lambda e: (e.sort_key(), e.number), default=None)

    def edition(self, number):
        return next((e for e in self.editions if str(e.number) == str(number)), None)

    def search_parts(self):
        return [{"anchor": c.anchor, "title": c.title, "key": "", "text": c.plain_text()} for c in self.chapters]


class GuideEdition(Base):
    __tablename__ = "guide_editions"
    __table_args__ = (UniqueConstraint("guide_id", "number", name="uq_guide_editions_guide_id_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    guide_id: Mapped[int] = mapped_column(ForeignKey("guides.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2...: in the edition's URL, never reused
    label: Mapped[str] = mapped_column(String(300))  # "Cahier technique, septembre 2021"
    date_year: Mapped[int] = mapped_column(Integer)
    date_month: Mapped[int | None] = mapped_column(Integer)
    date_day: Mapped[int | None] = mapped_column(Integer)
    changes: Mapped[str] = mapped_column(Text, default="")  # what changed since the previous one
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    guide: Mapped[GuideResource] = relationship(GuideResource, back_populates="editions")
    files: Mapped[list[ResourceFile]] = relationship(
        ResourceFile, secondary=edition_files, order_by=ResourceFile.position
    )

    def sort_key(self):
        return (self.date_year, self.date_month or 0, self.date_day or 0)

    def date_label(self):
        return format_partial_date(self.date_year, self.date_month, self.date_day)


class GuideChapter(Base):
    __tablename__ = "guide_chapters"
    __table_args__ = (UniqueConstraint("guide_id", "anchor", name="uq_guide_chapters_guide_id_anchor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    guide_id: Mapped[int] = mapped_column(ForeignKey("guides.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    anchor: Mapped[str] = mapped_column(String(120))  # "chapitre-le-bien-et-sa-vue"
    text: Mapped[str] = mapped_column(Text, default="")  # as typed: plain paragraphs or simple HTML

    def html(self):
        return sanitise_html(self.text)

    def plain_text(self):
        return strip_tags(self.text)


class GuideLink(Base):
    """A resource of the centre the guide cites. The target's title is kept so
    that, once the target is deleted, editors are told what the link was."""

    __tablename__ = "guide_links"
    id: Mapped[int] = mapped_column(primary_key=True)
    guide_id: Mapped[int] = mapped_column(ForeignKey("guides.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("nodes.id", ondelete="SET NULL"), index=True)
    target_title: Mapped[str] = mapped_column(String(500), default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    target: Mapped[Node | None] = relationship(Node, foreign_keys=[target_id])
