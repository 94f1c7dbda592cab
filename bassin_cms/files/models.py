import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bassin_cms.db import Base, UTCDateTime


def utcnow():
    return dt.datetime.now(dt.UTC)


PENDING = "pending"  # Blob.extraction of bytes the worker has not read yet


class Blob(Base):
    """Bytes stored once on disk, named by their sha256."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mime_type: Mapped[str] = mapped_column(String(200))
    page_count: Mapped[int | None] = mapped_column(Integer)
    # "pending" (stored, the worker has not read it yet: files/jobs.py), "ok",
    # "damaged" (could not be read: no text, no thumbnail), "failed" (reading
    # it went over the time or memory bound) or "none" (nothing to extract
    # from this kind of file).
    extraction: Mapped[str] = mapped_column(String(20), default="none")
    extraction_error: Mapped[str] = mapped_column(Text, default="", server_default="")
    has_thumbnail: Mapped[bool] = mapped_column(default=False)
    # The larger image of a PDF's first page (a poster's web preview).
    has_preview: Mapped[bool] = mapped_column(default=False, server_default=false())
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BlobPage(Base):
    """The text of one page of a file, for search and "page N" links."""

    __tablename__ = "blob_pages"

    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256", ondelete="CASCADE"), primary_key=True)
    page: Mapped[int] = mapped_column(Integer, primary_key=True)  # 1-based
    text: Mapped[str] = mapped_column(Text, default="")


class ResourceFile(Base):
    """A file of a resource: its main file or an attachment."""

    __tablename__ = "resource_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="attachment")  # see files.services.ROLES
    title: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    blob: Mapped[Blob] = relationship(Blob, lazy="joined")

    @property
    def is_main(self):
        return self.role == "main"
