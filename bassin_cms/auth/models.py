import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bassin_cms.db import Base, UTCDateTime
from bassin_cms.names import Role


def utcnow():
    return dt.datetime.now(dt.UTC)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(30), default=Role.PARTNER.value)
    # The last day the role is held (a journalist's access); none: no end.
    role_ends: Mapped[dt.date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # Moved by logout and password changes: a session signed for an older
    # generation is no longer anyone's (a copied cookie stops working).
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    @property
    def display_name(self):
        return self.name or self.email


class Group(Base):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200), default="")

    @property
    def display_name(self):
        return self.title or self.name


class GroupMember(Base):
    __tablename__ = "group_members"

    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)


class LocalRole(Base):
    """A role granted to a user or a group on a node, inherited by what it contains."""

    __tablename__ = "local_roles"
    __table_args__ = (UniqueConstraint("node_id", "principal", "role", name="uq_local_roles_node_id_principal_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), index=True)
    principal: Mapped[str] = mapped_column(String(64))  # "user:3" or "group:2"
    role: Mapped[str] = mapped_column(String(30))  # editor, reviewer or partner


class LoginFailure(Base):
    """Recent failed logins of one account or one address (hashed), to slow
    down password guessing in every process alike; forgotten an hour after
    the last failure."""

    __tablename__ = "login_failures"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
