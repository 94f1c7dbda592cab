import datetime as dt

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bassin_cms.db import Base, UTCDateTime


def utcnow():
    return dt.datetime.now(dt.UTC)


class WorkflowEntry(Base):
    """One transition of one node: kept with the node wherever it moves."""

    __tablename__ = "workflow_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), index=True)
    transition: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(320), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class AuditEntry(Base):
    """What happened, by whom: creations, edits, deletions, transitions, roles.

    No foreign keys: an entry outlives the node or user it names (path and title
    are copied at the time)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_name: Mapped[str] = mapped_column(String(320), default="")
    action: Mapped[str] = mapped_column(String(30), index=True)
    node_id: Mapped[int | None] = mapped_column(Integer, index=True)
    path: Mapped[str] = mapped_column(String(2000), default="")
    title: Mapped[str] = mapped_column(String(500), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
