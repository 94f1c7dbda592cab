"""The change outbox and the site's version: written in the transaction of
every change, read by the worker and by every process's page cache."""

import datetime as dt

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bassin_cms.content.models import utcnow
from bassin_cms.db import Base, UTCDateTime


class Change(Base):
    """One thing to follow up after a commit (today: a node to reindex; a
    row without a node only moves the site's version, e.g. a vocabulary term
    no resource uses yet). Done rows are kept a while for `check`, then pruned."""

    __tablename__ = "change_outbox"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(20), default="node")
    # A bare id: the node may be gone when the change is applied (a deletion).
    node_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), index=True)
    error: Mapped[str] = mapped_column(Text, default="")


class SiteVersion(Base):
    """One row: a counter moved by every transaction that changes content,
    in the same transaction. Its row lock orders the versions as the commits."""

    __tablename__ = "site_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
