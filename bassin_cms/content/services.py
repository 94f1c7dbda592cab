"""The rules of the content tree: creating, editing, moving and renaming nodes."""

import functools
import secrets

from sqlalchemy import bindparam, case, delete, func, select
from sqlalchemy.orm import selectinload, with_polymorphic
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from bassin_cms.i18n import Refusal, _

from .models import Agent, Folder, Node, NodeRedirect, Resource, Term, resource_terms
from .text import check_name, parse_agents, sanitise_html, slugify

SHORTID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: read aloud safely

VOCABULARY_FIELDS = ("themes", "territories", "audiences", "levels", "subjects")
FIELD_VOCABULARY = {
    "themes": "theme",
    "territories": "territory",
    "audiences": "audience",
    "levels": "level",
    "subjects": "subject",
}


class ContentError(Refusal):
    """A rule of the tree was broken; the message is for the user."""


class DeletionRefused(ContentError):
    """Some nodes below the one to delete may not be deleted by this person."""

    def __init__(self, refused):
        self.refused = refused
        super().__init__(
            _(
                "Suppression refusée : ${count} élément(s) de ce dossier ne peuvent pas être supprimés "
                "avec votre rôle (en validation, archivés, ou hors de vos droits).",
                mapping={"count": len(refused)},
            )
        )


# Statements each page runs, built once (values bound at each execution):
# SQLAlchemy caches their compiled SQL, not their construction, which cost
# more than running them (a select by ids 40 µs, the recursive one 330 µs).
@functools.cache
def _root_statement():
    return select(Node).where(Node.parent_id.is_(None))


@functools.cache
def _ancestors_statement():
    """The nodes above the nodes ``ids`` (these included), up to the root."""
    above = select(Node.id, Node.parent_id).where(Node.id.in_(bindparam("ids", expanding=True)))
    above = above.cte("above", recursive=True)
    above = above.union(select(Node.id, Node.parent_id).join(above, Node.id == above.c.parent_id))
    return select(Node).where(Node.id.in_(select(above.c.id)))


class ContentService:
    def __init__(self, dbsession):
        self.dbsession = dbsession

    # --- lookups -------------------------------------------------------------
    def root(self):
        return self.dbsession.scalar(_root_statement())

    def get(self, node_id):
        return self.dbsession.get(Node, node_id)

    def by_shortid(self, shortid):
        shortid = (shortid or "").strip().lower()
        return self.dbsession.scalar(select(Node).where(func.lower(Node.shortid) == shortid))

    def by_legacy_id(self, legacy_id):
        return self.dbsession.scalar(select(Resource).where(Resource.legacy_id == legacy_id))

    def resources(self, node_ids):
        """The resources with these ids, kinds and terms loaded, in id order."""
        if not node_ids:
            return []
        resource = with_polymorphic(Resource, "*")
        return list(
            self.dbsession.scalars(
                select(resource)
                .where(resource.id.in_(list(node_ids)))
                .options(selectinload(resource.kind), selectinload(resource.terms))
                .order_by(resource.id)
            )
        )

    def for_teachers(self, visible):
        """Resources meant for class: a school level or subject, the teaching
        resource kind or the teachers' audience; teaching resources (the
        pedagogical kits) first, then the newest; among those the SQL clause
        ``visible`` accepts."""
        resource = with_polymorphic(Resource, "*")
        teaching = (
            select(resource_terms.c.resource_id)
            .join(Term, Term.id == resource_terms.c.term_id)
            .where(
                (Term.vocabulary.in_(("level", "subject")))
                | ((Term.vocabulary == "audience") & (Term.code == "enseignants"))
            )
        )
        kit = select(Term.id).where(Term.vocabulary == "kind", Term.code == "pedagogique").scalar_subquery()
        return list(
            self.dbsession.scalars(
                select(resource)
                .where(
                    resource.id.in_(teaching) | (resource.kind_id == kit),
                    resource.id.in_(select(Resource.id).where(visible).correlate(None)),
                )
                .options(selectinload(resource.kind), selectinload(resource.terms))
                # case(), not (kind_id == kit).desc(): a NULL kind compares to NULL,
                # which PostgreSQL sorts first when descending.
                .order_by(
                    case((resource.kind_id == kit, 0), else_=1), resource.date_year.desc().nulls_last(), resource.title
                )
            )
        )

    def titles_of_kind(self, code):
        """[(id, title)] of the resources of one kind ("guide"), by title: for
        the selects that link one resource to another."""
        kind = select(Term.id).where(Term.vocabulary == "kind", Term.code == code).scalar_subquery()
        return list(
            self.dbsession.execute(
                select(Resource.id, Resource.title).where(Resource.kind_id == kind).order_by(Resource.title)
            ).all()
        )

    def by_path(self, path):
        node = self.root()
        for name in [p for p in path.split("/") if p]:
            try:
                node = node[name]
            except KeyError:
                return None
        return node

    def folders(self):
        """Every folder, in tree order, with its depth: for move targets."""
        root = self.root()
        out = []

        def walk(node, depth):
            out.append((node, depth))
            for child in node.children:
                if isinstance(child, Folder):
                    walk(child, depth + 1)

        if root is not None:
            walk(root, 0)
        return out

    def find_redirect(self, path):
        """For an unknown path, the node that used to live there and the rest of
        the path (view name, sub-path) to append, or (None, None)."""
        segments = [s for s in path.split("/") if s]
        prefixes = ["/" + "/".join(segments[:i]) for i in range(len(segments), 0, -1)]
        if not prefixes:
            return None, None
        rows = self.dbsession.execute(
            select(NodeRedirect.path, NodeRedirect.node_id).where(NodeRedirect.path.in_(prefixes))
        ).all()
        if not rows:
            return None, None
        best = max(rows, key=lambda r: len(r.path))
        rest = path[len(best.path) :] if path.startswith(best.path) else ""
        return self.get(best.node_id), rest

    # --- creation --------------------------------------------------------------
    def new_shortid(self):
        while True:
            shortid = "".join(secrets.choice(SHORTID_ALPHABET) for _ in range(7))
            if self.by_shortid(shortid) is None:
                return shortid

    def unique_name(self, parent, wanted, exclude=None):
        base = slugify(wanted)
        taken = set(
            self.dbsession.scalars(
                select(Node.name).where(
                    Node.parent_id == parent.id,
                    Node.name.like(base[:70] + "%"),
                    *([Node.id != exclude.id] if exclude is not None else []),
                )
            )
        )
        name, n = base, 2
        while name in taken:
            name = f"{base[:70]}-{n}"
            n += 1
        return name

    def create(self, parent, cls, *, title, name=None, creator_id=None, shortid=None, **attrs):
        if parent is not None and not isinstance(parent, Folder):
            raise ContentError(_("On ne peut ajouter un contenu que dans un dossier."))
        if name:
            self._check_free_name(parent, name)
        else:
            name = self.unique_name(parent, title) if parent is not None else ""
        position = 0
        if parent is not None:
            position = (
                self.dbsession.scalar(select(func.max(Node.position)).where(Node.parent_id == parent.id)) or 0
            ) + 1
        # Folders are not under the workflow; resources start as drafts.
        attrs.setdefault("state", "draft" if issubclass(cls, Resource) else "published")
        node = cls(
            title=title.strip(),
            name=name,
            parent=parent,
            position=position,
            shortid=shortid or self.new_shortid(),
            creator_id=creator_id,
            **attrs,
        )
        self.dbsession.add(node)
        self.dbsession.flush()
        return node

    def _check_free_name(self, parent, name, node=None):
        message = check_name(name)
        if message:
            raise ContentError(message)
        if name.startswith("@@"):
            raise ContentError(_("Un nom court ne peut pas commencer par « @@ »."))
        clash = self.dbsession.scalar(select(Node.id).where(Node.parent_id == parent.id, Node.name == name))
        if clash is not None and (node is None or clash != node.id):
            raise ContentError(_("Ce dossier contient déjà un élément nommé « ${name} ».", mapping={"name": name}))

    # --- editing ---------------------------------------------------------------
    def apply_metadata(self, resource, data):
        """Copy a validated form (or import) mapping onto a resource."""
        for key in ("title", "summary", "publisher", "language", "rights", "duration"):
            if key in data and data[key] is not None:
                setattr(resource, key, data[key].strip() if isinstance(data[key], str) else data[key])
        if "body" in data:
            resource.body = sanitise_html(data["body"] or "")
        if "date" in data:
            y, m, d = data["date"] or (None, None, None)
            resource.date_year, resource.date_month, resource.date_day = y, m, d
        if "kind" in data:
            resource.kind = self.dbsession.get(Term, data["kind"]) if data["kind"] else None
        if any(f in data for f in VOCABULARY_FIELDS):
            keep = [
                t
                for t in resource.terms
                if not any(f in data and FIELD_VOCABULARY[f] == t.vocabulary for f in VOCABULARY_FIELDS)
            ]
            new_ids = [i for f in VOCABULARY_FIELDS if f in data for i in (data[f] or [])]
            new_terms = list(self.dbsession.scalars(select(Term).where(Term.id.in_(new_ids)))) if new_ids else []
            resource.terms = keep + [t for t in new_terms if t not in keep]
        for relation, key in (("creator", "creators"), ("contributor", "contributors")):
            if key in data:
                agents = data[key]
                if isinstance(agents, str):
                    agents = parse_agents(agents)
                resource.agents = [a for a in resource.agents if a.relation != relation] + [
                    Agent(relation=relation, name=name[:300], role=role[:200], position=i)
                    for i, (name, role) in enumerate(agents)
                ]
        for key in ("external_url", "legacy_id", "legacy_data"):
            if key in data and hasattr(resource, key):
                setattr(resource, key, data[key])

    def apply_folder(self, folder, data):
        for key in ("title", "summary"):
            if key in data and data[key] is not None:
                setattr(folder, key, data[key].strip())
        if "body" in data:
            folder.body = sanitise_html(data["body"] or "")

    # --- moving and renaming -----------------------------------------------------
    def _remember_paths(self, node):
        """Record the current path of ``node`` and its descendants as redirects."""
        stack = [node]
        while stack:
            current = stack.pop()
            path = current.path
            existing = self.dbsession.scalar(select(NodeRedirect).where(NodeRedirect.path == path))
            if existing is None:
                self.dbsession.add(NodeRedirect(path=path, node_id=current.id))
            else:
                existing.node_id = current.id
            stack.extend(current.children)
        self.dbsession.flush()

    def _forget_live_paths(self, node):
        # A redirect that now names a live path would only shadow it: drop it.
        stack, paths = [node], []
        while stack:
            current = stack.pop()
            paths.append(current.path)
            stack.extend(current.children)
        self.dbsession.execute(delete(NodeRedirect).where(NodeRedirect.path.in_(paths)))

    def rename(self, node, new_name):
        if node.parent is None:
            raise ContentError(_("La racine du site ne peut pas être renommée."))
        if new_name == node.name:
            return node
        self._check_free_name(node.parent, new_name, node)
        self._remember_paths(node)
        node.name = new_name
        self.dbsession.flush()
        self._forget_live_paths(node)
        return node

    def move(self, node, target):
        if node.parent is None:
            raise ContentError(_("La racine du site ne peut pas être déplacée."))
        if not isinstance(target, Folder):
            raise ContentError(_("La destination doit être un dossier."))
        if any(n.id == node.id for n in target.lineage()):
            raise ContentError(
                _("Un dossier ne peut pas être déplacé dans lui-même ou dans l'un de ses sous-dossiers.")
            )
        if target.id == node.parent_id:
            return node
        self._check_free_name(target, node.name, node)
        self._remember_paths(node)
        node.parent = target
        node.position = (
            self.dbsession.scalar(select(func.max(Node.position)).where(Node.parent_id == target.id)) or 0
        ) + 1
        self.dbsession.flush()
        self._forget_live_paths(node)
        return node

    def load_lineages(self, nodes):
        """Load the folders above ``nodes`` in one statement (a recursive one:
        the tree's depth does not add statements) and attach each to its
        child, so that walking their lineages (the visibility rule, addresses)
        asks nothing more. Folders the session holds already are not asked
        for again."""
        session = self.dbsession
        known = session.identity_map

        def held(node_id):
            return known.get(identity_key(Node, node_id))

        missing, linked, seen = set(), [], set()
        for node in nodes:
            # Up the folders this session holds; the first one it lacks starts the statement.
            while node is not None and node.parent_id is not None and node.id not in seen:
                seen.add(node.id)
                if "parent" not in node.__dict__:
                    parent = held(node.parent_id)
                    if parent is None:
                        missing.add(node.parent_id)
                        linked.append(node)
                        break
                    set_committed_value(node, "parent", parent)
                node = node.parent
        if not missing:
            return
        found = {n.id: n for n in session.scalars(_ancestors_statement(), {"ids": sorted(missing)})}
        for node in linked + list(found.values()):
            if node.parent_id is not None and "parent" not in node.__dict__:
                parent = found.get(node.parent_id) or held(node.parent_id)
                if parent is not None:
                    set_committed_value(node, "parent", parent)

    def descendants(self, node):
        """Every node below ``node``, parents before their children."""
        out, level = [], [node]
        while level:
            ids = [n.id for n in level]
            level = list(
                self.dbsession.scalars(
                    select(with_polymorphic(Node, "*")).where(Node.parent_id.in_(ids)).order_by(Node.id)
                )
            )
            out += level
        return out

    def delete(self, node, may_delete=lambda node: True):
        """Delete ``node`` and everything below it, each one on its own (so that
        the audit log and the outbox see each). ``may_delete`` is asked for each
        node below: one refusal refuses the whole deletion, and nothing goes."""
        if node.parent is None:
            raise ContentError(_("La racine du site ne peut pas être supprimée."))
        below = self.descendants(node)
        refused = [n for n in below if not may_delete(n)]
        if refused:
            raise DeletionRefused(refused)
        parent = node.parent
        for child in reversed(below):  # children first
            self.dbsession.delete(child)
        self.dbsession.flush()
        parent.children.remove(node)
        self.dbsession.delete(node)
        self.dbsession.flush()
        return parent

    def related(self, resource, visible, limit=5):
        """Other resources sharing the most themes, territories and audiences
        with ``resource`` (most recent first among equals), among those the
        SQL clause ``visible`` accepts: the "related resources" of a resource page."""
        own = [t.id for t in resource.terms if t.vocabulary in ("theme", "territory", "audience")]
        if not own:
            return []
        shared = func.count(resource_terms.c.term_id)
        ranked = self.dbsession.execute(
            select(resource_terms.c.resource_id, shared)
            .where(
                resource_terms.c.term_id.in_(own),
                resource_terms.c.resource_id != resource.id,
                resource_terms.c.resource_id.in_(select(Resource.id).where(visible).correlate(None)),
            )
            .group_by(resource_terms.c.resource_id)
            .order_by(shared.desc(), resource_terms.c.resource_id.desc())
            .limit(limit)
        ).all()
        found = {r.id: r for r in self.resources([node_id for node_id, _n in ranked])}
        self.load_lineages(found.values())  # their addresses: not a lazy load a folder
        return [found[node_id] for node_id, _n in ranked if node_id in found]

    def visible_children(self, folder, can_see):
        """Every child ``can_see`` accepts, in listing order. The check is the
        security policy itself, so a listing never shows what a page would refuse."""
        _total, items = self.children(folder, 0, None)
        return [item for item in items if can_see(item)]

    def children(self, folder, offset=0, limit=50):
        total = self.dbsession.scalar(select(func.count()).select_from(Node).where(Node.parent_id == folder.id))
        # Every kind's columns in one query, and the kinds' labels in a second one,
        # rather than two lazy loads per listed item.
        node = with_polymorphic(Node, "*")
        items = list(
            self.dbsession.scalars(
                select(node)
                .where(node.parent_id == folder.id)
                .options(selectinload(node.Resource.kind))
                .order_by(node.type != "folder", node.position, node.id)
                .offset(offset)
                .limit(limit)
            )
        )
        return total, items
