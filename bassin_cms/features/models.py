"""A feature: a dossier published in a review (the D'A n°312 dossier), read
online as a table of contents and its articles, each with its verbatims and
its captioned, credited images; the review's rights may keep the full text for
partners while the public reads the notice and the summaries."""

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bassin_cms.content.models import Resource
from bassin_cms.content.text import sanitise_html, strip_tags
from bassin_cms.db import Base
from bassin_cms.files.models import ResourceFile


class FeatureResource(Resource):
    __tablename__ = "features"
    id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True)
    review_title: Mapped[str] = mapped_column(String(300), default="")  # "D'A — D'Architectures"
    issue_number: Mapped[str] = mapped_column(String(50), default="")  # "312"
    pages: Mapped[str] = mapped_column(String(50), default="")  # "54-105"

    articles: Mapped[list["FeatureArticle"]] = relationship(
        "FeatureArticle",
        order_by="FeatureArticle.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
        back_populates="feature",
    )

    __mapper_args__ = {"polymorphic_identity": "feature"}

    def issue_label(self):
        """'D'A n°312, p. 54-105'."""
        label = self.review_title or ""
        if self.issue_number:
            label += f" n°{self.issue_number}"
        if self.pages:
            label += f", p. {self.pages}"
        return label.strip(", ")

    def uncredited_images(self):
        return [(article, image) for article in self.articles for image in article.images if not image.credit.strip()]

    def search_parts(self):
        return [{"anchor": a.anchor, "title": a.title, "key": "", "text": a.search_text()} for a in self.articles]

    def notice_text(self):
        """The review and issue, and the articles' titles and summaries: the
        public reads them even when the dossier is for partners."""
        return " ".join([self.issue_label(), *(f"{a.title} {a.authors} {a.summary}" for a in self.articles)])


class FeatureArticle(Base):
    __tablename__ = "feature_articles"
    __table_args__ = (UniqueConstraint("feature_id", "anchor", name="uq_feature_articles_feature_id_anchor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feature_id: Mapped[int] = mapped_column(ForeignKey("features.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    anchor: Mapped[str] = mapped_column(String(120))  # "article-l-heritage-comme-ressource"
    authors: Mapped[str] = mapped_column(String(500), default="")
    summary: Mapped[str] = mapped_column(Text, default="")  # public even when the text is restricted
    body: Mapped[str] = mapped_column(Text, default="")  # as typed: paragraphs or simple HTML

    feature: Mapped[FeatureResource] = relationship(FeatureResource, back_populates="articles")
    verbatims: Mapped[list["FeatureVerbatim"]] = relationship(
        "FeatureVerbatim", order_by="FeatureVerbatim.position", cascade="all, delete-orphan", passive_deletes=True
    )
    images: Mapped[list["FeatureImage"]] = relationship(
        "FeatureImage", order_by="FeatureImage.position", cascade="all, delete-orphan", passive_deletes=True
    )

    def html(self):
        return sanitise_html(self.body)

    def search_text(self):
        return " ".join(
            x
            for x in (
                self.authors,
                self.summary,
                strip_tags(self.body),
                *(f"{v.quotation} {v.speaker} {v.role}" for v in self.verbatims),
                *(f"{i.caption} {i.credit}" for i in self.images),
            )
            if x
        )


class FeatureVerbatim(Base):
    """A quotation from someone who spoke at the study day, with their role."""

    __tablename__ = "feature_verbatims"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("feature_articles.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    quotation: Mapped[str] = mapped_column(Text)
    speaker: Mapped[str] = mapped_column(String(300), default="")
    role: Mapped[str] = mapped_column(String(300), default="")

    def attribution(self):
        return f"{self.speaker}, {self.role}" if self.role else self.speaker


class FeatureImage(Base):
    """A picture of an article. Its caption and credit travel with it to the
    page and the PDF; without a credit, the dossier cannot be published."""

    __tablename__ = "feature_images"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("feature_articles.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("resource_files.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    caption: Mapped[str] = mapped_column(Text, default="")
    credit: Mapped[str] = mapped_column(String(500), default="")
    alt: Mapped[str] = mapped_column(String(500), default="")  # text alternative, if the caption is not one

    file: Mapped[ResourceFile] = relationship(ResourceFile, lazy="joined")
