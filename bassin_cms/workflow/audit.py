"""The audit log, fed by the session itself.

Creations, edits, moves, renames and deletions of nodes, and changes to roles and
accounts, are recorded from SQLAlchemy's flush events, so no view, script or
import can forget to log. An edit lists each field that really changed, old and
new value (the old one read from the database when the session had not loaded
it), the terms added and removed, and what a kind's service noted about its
parts (``Node.note_change``: an index's entries, a CSV import, a guide's
editions, a dossier's articles). Transitions are recorded by the workflow
service, with their comment. The actor is the user of the request the session
belongs to, or the command line.
"""

import datetime as dt

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session

from bassin_cms.auth.models import GroupMember, LocalRole, User
from bassin_cms.content.models import Node, Resource
from bassin_cms.i18n import _

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


def _blank(value):
    return value is None or value == ""


def _changes(session, obj):
    """{field: [old, new]} of the tracked fields that really changed. A field
    the session set without having loaded it has no old value in its history:
    it is read from the database (the row as this transaction last wrote it),
    so that saving a form unchanged logs nothing, and None and "" are one."""
    state = inspect(obj)
    changed, unknown = {}, []
    for key in TRACKED:
        if key not in state.attrs:
            continue
        history = state.attrs[key].history
        if history.has_changes():
            new = history.added[0] if history.added else None
            if history.deleted:
                changed[key] = (history.deleted[0], new)
            else:
                changed[key] = (None, new)
                unknown.append(key)
    if unknown:
        cls = type(obj)
        row = (
            session.connection()
            .execute(select(*[getattr(cls, key) for key in unknown]).where(cls.id == obj.id))
            .first()
        )
        for key, old in zip(unknown, row or (), strict=False):
            changed[key] = (old, changed[key][1])
    return {
        key: [_jsonable(old), _jsonable(new)]
        for key, (old, new) in changed.items()
        if old != new and not (_blank(old) and _blank(new))
    }


def _terms(obj):
    """{"added": [labels], "removed": [labels]} of a resource's terms."""
    if not isinstance(obj, Resource):
        return {}
    history = inspect(obj).attrs["terms"].history
    added = [t.display() for t in history.added if t not in history.deleted]
    removed = [t.display() for t in history.deleted if t not in history.added]
    return {k: v for k, v in (("added", added), ("removed", removed)) if v}


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
        if isinstance(obj, Node) and session.is_modified(obj):
            changes, terms = _changes(session, obj), _terms(obj)
            parts = obj.noted_changes() if changes or terms else []
            if not (changes or terms):
                continue  # a transition only (the workflow service records it), parts (at the commit), or nothing
            action = "move" if "parent_id" in changes else "rename" if "name" in changes else "edit"
            details = {"changes": changes, "version": (obj.version or 0) + 1}
            if terms:
                details["terms"] = terms
            if parts:
                details["parts"] = parts
            pending.append(_node_entry(action, obj, details))
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


def _before_commit(session):
    """What services noted about a node's parts (``Node.note_change``) and no
    flush took with a change of its fields: one entry a node, at the end."""
    entries = []
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Node) and obj.__dict__.get("_noted_changes"):
            entries.append(_node_entry("edit", obj, {"changes": {}, "parts": obj.noted_changes()}))
    if entries:
        write(session, entries)


def install():
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "before_commit", _before_commit)


# --- reading the log ----------------------------------------------------------
ACTIONS = {
    "create": _("Création"),
    "edit": _("Modification"),
    "rename": _("Renommage"),
    "move": _("Déplacement"),
    "delete": _("Suppression"),
    "transition": _("Changement d'état"),
    "role": _("Rôle sur un dossier"),
    "user": _("Compte"),
    "group": _("Groupe"),
}
FIELDS = {
    "title": _("Titre"),
    "name": _("Nom dans l'adresse"),
    "parent_id": _("Dossier"),
    "summary": _("Résumé"),
    "body": _("Texte"),
    "publisher": _("Éditeur"),
    "date_year": _("Année"),
    "date_month": _("Mois"),
    "date_day": _("Jour"),
    "language": _("Langue"),
    "rights": _("Droits"),
    "kind_id": _("Type"),
    "external_url": _("Lien externe"),
    "restricted": _("Réservé aux partenaires"),
    "public_when_archived": _("Public une fois archivé"),
    "effective": _("Publication à partir du"),
    "expires": _("Retrait le"),
    "role": _("Rôle"),
    "active": _("Actif"),
    "email": _("Adresse e-mail"),
    "password": _("Mot de passe"),
}
PARTS = {
    "index_entries": _("Table de l'index modifiée"),
    "index_import": _("Import CSV dans l'index"),
    "index_columns": _("Colonnes de l'index modifiées"),
    "guide_chapters": _("Chapitres du guide modifiés"),
    "guide_links": _("Ressources citées par le guide modifiées"),
    "guide_contacts": _("Organismes à contacter modifiés"),
    "guide_edition_added": _("Nouvelle édition du guide"),
    "guide_edition_changed": _("Édition du guide modifiée"),
    "guide_edition_file": _("Fichier d'une édition ajouté"),
    "feature_article": _("Article du dossier enregistré"),
    "feature_article_moved": _("Article du dossier déplacé"),
    "feature_article_removed": _("Article du dossier retiré"),
}
DETAIL_WORDS = {
    "added": _("ajoutés"),
    "changed": _("modifiés"),
    "updated": _("mis à jour"),
    "removed": _("retirés"),
    "rejected": _("lignes refusées"),
    "replace": _("remplacement de la table"),
    "before": _("avant"),
    "after": _("après"),
    "titles": _("titres"),
    "number": _("n°"),
    "label": _("intitulé"),
    "file": _("fichier"),
    "title": _("titre"),
    "position": _("position"),
    "type": _("type"),
    "created": _("créé avec le rôle"),
    "granted": _("rôle donné"),
    "revoked": _("rôle retiré"),
    "principal": _("à"),
    "added_user": _("membre ajouté (compte n°)"),
    "removed_user": _("membre retiré (compte n°)"),
    "group": _("groupe n°"),
    "transition": _("transition"),
    "from": _("de"),
    "to": _("à"),
    "comment": _("motif"),
}


def _shown(value):
    if value is None or value == "":
        return "—"
    if value is True:
        return _("oui")
    if value is False:
        return _("non")
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def describe(entry):
    """[(label, [(word, value)])] of an entry's details, for people: the
    fields changed (old → new), the terms added and removed, what changed in
    a kind's parts, the rest by name. Labels, words and yes/no are messages
    (the page translates them); a word may be None."""
    details = dict(entry.details or {})
    lines = []
    for key, (old, new) in (details.pop("changes", None) or {}).items():
        lines.append((FIELDS.get(key, key), [(None, f"{_shown(old)} → {_shown(new)}")]))
    details.pop("version", None)
    terms = details.pop("terms", None) or {}
    if terms.get("added"):
        lines.append((_("Termes ajoutés"), [(None, _shown(terms["added"]))]))
    if terms.get("removed"):
        lines.append((_("Termes retirés"), [(None, _shown(terms["removed"]))]))
    for part in details.pop("parts", None) or []:
        part = dict(part)
        what = part.pop("what", "")
        said = [(DETAIL_WORDS.get(k, k), _shown(v)) for k, v in part.items() if v not in (None, [], "", 0, False)]
        lines.append((PARTS.get(what, what), said))
    for key, value in details.items():
        lines.append((DETAIL_WORDS.get(key, key), [(None, _shown(value))]))
    return lines
