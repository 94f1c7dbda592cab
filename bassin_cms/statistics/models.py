import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bassin_cms.db import Base, UTCDateTime


class DailyCount(Base):
    """How many times a resource was viewed or downloaded on one day. Nothing
    about who: the counts are all that is kept."""

    __tablename__ = "daily_counts"

    node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True, index=True)
    action: Mapped[str] = mapped_column(String(10), primary_key=True)  # "view" | "download"
    count: Mapped[int] = mapped_column(Integer, default=0)


class RecentHit(Base):
    """The last 30 seconds of counted hits, so that a repeated download by the
    same visitor counts once. The fingerprint is a keyed hash of the truncated
    address and the browser name, salted per day; rows older than 30 seconds
    are deleted at the next hit, so not even the hash outlives the window."""

    __tablename__ = "recent_hits"

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    node_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(10), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
