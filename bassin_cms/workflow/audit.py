"""The audit log, fed by the session itself.

Creations, edits, moves, renames and deletions of nodes, and changes to roles and
accounts, are recorded from SQLAlchemy's flush events, so no view, script or
import can forget to log. Transitions are recorded by the workflow service, with
their comment. The actor is the user of the request the session belongs to, or
the command line.
"""

import datetime as dt

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from bassin_cms.auth.models import GroupMember, LocalRole, User
from bassin_cms.content.models import Node

from .models import AuditEntry

# Node attributes whose changes an edit entry lists (old -> new).
TRACKED = (
    "title",
    "name",
    "parent_id",
    "summary",
    "body",
    "publisher",
    "date_year",
    "date_month",
    "date_day",
    "language",
    "rights",
    "kind_id",
    "external_url",
    "restricted",
    "public_when_archived",
    "effective",
    "expires",
)
CLI_ACTOR = "ligne de commande (bassin-cms)"


def actor_of(session):
    request = session.info.get("request")
    # Never load the user here (we may be inside a flush): only use it if the
    # request already knows it.
    user = request.__dict__.get("user") if request is not None else None
    if user is not None:
        return user.id, user.email
    return None, (CLI_ACTOR if request is None or session.info.get("cli") else "anonyme")


def _jsonable(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str) and len(value) > 300:
        return value[:300] + "…"
    return value


def _changes(obj):
    state = inspect(obj)
    changes = {}
    for key in TRACKED:
        if key not in state.attrs:
            continue
        history = state.attrs[key].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                changes[key] = [_jsonable(old), _jsonable(new)]
    return changes


def _node_entry(action, node, details=None, path=None):
    return {
        "action": action,
        "node_id": node.id,
        "path": path if path is not None else node.path,
        "title": node.title or "",
        "details": details or {},
    }


def _before_flush(session, flush_context, instances):
    pending = session.info.setdefault("audit_pending", [])
    for obj in session.deleted:
        if isinstance(obj, Node):
            pending.append(_node_entry("delete", obj))
        elif isinstance(obj, LocalRole):
            pending.append(
                {
                    "action": "role",
                    "node_id": obj.node_id,
                    "path": "",
                    "title": "",
                    "details": {"revoked": obj.role, "principal": obj.principal},
                }
            )
        elif isinstance(obj, GroupMember):
            pending.append(
                {
                    "action": "group",
                    "node_id": None,
                    "path": "",
                    "title": "",
                    "details": {"removed_user": obj.user_id, "group": obj.group_id},
                }
            )
    for obj in session.dirty:
        if isinstance(obj, Node) and session.is_modified(obj, include_collections=False):
            changes = _changes(obj)
            if not changes:
                continue  # a transition only: the workflow service records it
            action = "move" if "parent_id" in changes else "rename" if "name" in changes else "edit"
            pending.append(_node_entry(action, obj, {"changes": changes, "version": (obj.version or 0) + 1}))
        elif isinstance(obj, User) and session.is_modified(obj, include_collections=False):
            state = inspect(obj)
            changes = {
                k: [
                    _jsonable(state.attrs[k].history.deleted[0]) if state.attrs[k].history.deleted else None,
                    _jsonable(getattr(obj, k)),
                ]
                for k in ("role", "active", "email", "name")
                if state.attrs[k].history.has_changes()
            }
            if state.attrs["password_hash"].history.has_changes():
                changes["password"] = ["…", "…"]
            if changes:
                pending.append(
                    {"action": "user", "node_id": None, "path": "", "title": obj.email, "details": {"changes": changes}}
                )


def _after_flush(session, flush_context):
    pending = session.info.setdefault("audit_pending", [])
    for obj in session.new:
        if isinstance(obj, Node):
            pending.append(_node_entry("create", obj, {"type": obj.type}))
        elif isinstance(obj, LocalRole):
            pending.append(
                {
                    "action": "role",
                    "node_id": obj.node_id,
                    "path": "",
                    "title": "",
                    "details": {"granted": obj.role, "principal": obj.principal},
                }
            )
        elif isinstance(obj, User):
            pending.append(
                {"action": "user", "node_id": None, "path": "", "title": obj.email, "details": {"created": obj.role}}
            )
        elif isinstance(obj, GroupMember):
            pending.append(
                {
                    "action": "group",
                    "node_id": None,
                    "path": "",
                    "title": "",
                    "details": {"added_user": obj.user_id, "group": obj.group_id},
                }
            )
    if pending:
        write(session, pending)
        pending.clear()


def write(session, entries):
    actor_id, actor_name = actor_of(session)
    now = dt.datetime.now(dt.UTC)
    session.connection().execute(
        insert(AuditEntry.__table__),
        [dict(entry, actor_id=actor_id, actor_name=actor_name, created=now) for entry in entries],
    )


def record(session, action, node=None, details=None):
    """An entry that the flush events cannot see (a transition and its comment)."""
    entry = (
        _node_entry(action, node, details)
        if node is not None
        else {"action": action, "node_id": None, "path": "", "title": "", "details": details or {}}
    )
    write(session, [entry])


def install():
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
