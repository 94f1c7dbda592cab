"""The press gallery's tables: the image kind, journalists' access requests,
the time-limited links staff send, and the log of what left as originals."""

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bassin_cms.content.models import Resource
from bassin_cms.db import Base, UTCDateTime


def utcnow():
    return dt.datetime.now(dt.UTC)


class ImageResource(Resource):
    """A photograph or drawing for the press, under the same workflow as any
    resource. Its original is its main file; author (creators), date,
    territories and themes are the shared metadata. Without a credit it
    cannot be published (gallery/services.py ``publish_problems``)."""

    __tablename__ = "images"
    id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True)
    caption: Mapped[str] = mapped_column(Text, default="")
    credit: Mapped[str] = mapped_column(String(500), default="")
    # Read aloud in place of the picture: what it shows, not its caption.
    alt_text: Mapped[str] = mapped_column(String(500), default="")
    usage_terms: Mapped[str] = mapped_column(Text, default="")
    # The last day the terms allow use; after it, no download (``terms_ended``).
    usage_ends: Mapped[dt.date | None] = mapped_column(Date, index=True)

    __mapper_args__ = {"polymorphic_identity": "image", "inherit_condition": id == Resource.id}

    # Its original leaves only through the gallery's logged, terms-checked download.
    files_in_selection_zip = False

    def notice_text(self):
        return " ".join(t for t in (self.caption, self.credit, self.alt_text) if t)


class AccessRequest(Base):
    """A journalist asking for the gallery; staff accept (an account with the
    journalist role until a date) or refuse it."""

    __tablename__ = "press_access_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    outlet: Mapped[str] = mapped_column(String(300))
    email: Mapped[str] = mapped_column(String(320), index=True)
    credentials: Mapped[str] = mapped_column(String(300))  # press card number or editor's reference
    purpose: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)  # pending|accepted|refused
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[str] = mapped_column(String(320), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class PressLink(Base):
    """A signed address giving one journalist without an account the gallery
    (``image_ids`` empty) or some images, until ``expires`` or revocation.
    Only a hash of its secret is kept: the address is shown once."""

    __tablename__ = "press_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    recipient: Mapped[str] = mapped_column(String(300))
    email: Mapped[str] = mapped_column(String(320), default="")
    image_ids: Mapped[list] = mapped_column(JSON, default=list)
    expires: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    revoked: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(320), default="")
    uses: Mapped[int] = mapped_column(Integer, default=0)
    last_used: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class PressDownload(Base):
    """One original that left: by a journalist's account or through a link,
    alone or in a ZIP (``archive`` numbers the ZIP's rows together)."""

    __tablename__ = "press_downloads"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("press_links.id", ondelete="SET NULL"), index=True)
    who: Mapped[str] = mapped_column(String(400))  # name and e-mail at the time
    image_id: Mapped[int | None] = mapped_column(ForeignKey("nodes.id", ondelete="SET NULL"), index=True)
    image_title: Mapped[str] = mapped_column(String(500))
    how: Mapped[str] = mapped_column(String(10))  # "original" | "zip"
    archive: Mapped[str] = mapped_column(String(32), default="")
