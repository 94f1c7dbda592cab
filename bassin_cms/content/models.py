"""The node tree and the resource metadata.

Joined-table inheritance, as in Kotti: ``nodes`` holds what every node has (place in
the tree, title, permanent short id), ``resources`` the Dublin Core-like metadata of
every resource kind, and each kind its own table (``documents`` today; guides,
indexes, posters and features plug in the same way).
"""

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from bassin_cms.db import Base, UTCDateTime

# [acl_for(node)]: set by the workflow domain (set_acl_provider). Imports point
# one way: workflow knows content, content only holds the function it is given.
ACL_PROVIDER = None


def set_acl_provider(provider):
    global ACL_PROVIDER
    ACL_PROVIDER = [provider]


def utcnow():
    return dt.datetime.now(dt.UTC)


class Node(Base):
    __tablename__ = "nodes"
    __table_args__ = (UniqueConstraint("parent_id", "name", name="uq_nodes_parent_id_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(50))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(250))
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    # The permanent identifier behind /r/<shortid>; never changes, even on move.
    shortid: Mapped[str] = mapped_column(String(32), unique=True)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    modified: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Kept as a bare id: the auth domain is asked for names (see DESIGN rules).
    creator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Workflow fields: written only through the workflow service, read by the ACL.
    state: Mapped[str] = mapped_column(String(20), default="draft", server_default="draft", index=True)
    effective: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    expires: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # Partners only (the public sees the notice, not the body or the files).
    restricted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # An archived resource stays public (with a banner) only where it says so.
    public_when_archived: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # Optimistic locking: two editors saving the same version cannot both win.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    parent: Mapped["Node | None"] = relationship("Node", remote_side="Node.id", back_populates="children")
    children: Mapped[list["Node"]] = relationship(
        "Node",
        back_populates="parent",
        order_by="Node.position, Node.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __mapper_args__ = {
        "polymorphic_on": "type",
        "polymorphic_identity": "node",
        "version_id_col": version,
    }

    @property
    def __acl__(self):
        """The ACL of the node's state and folders: the workflow domain's rule,
        given to content when it is included (content does not import it)."""
        if ACL_PROVIDER is None:
            raise RuntimeError("No ACL provider: config.include('bassin_cms.workflow') gives it (set_acl_provider).")
        return ACL_PROVIDER[0](self)

    def note_change(self, what, **details):
        """Say what changed in the node's parts (an index's entries, a guide's
        editions, a dossier's articles), which its columns do not show: the
        audit log records it with the flush (workflow/audit.py reads
        ``noted_changes``)."""
        self.__dict__.setdefault("_noted_changes", []).append({"what": what, **details})

    def noted_changes(self):
        """What ``note_change`` was told since the last flush, and forget it."""
        return self.__dict__.pop("_noted_changes", [])

    # --- traversal -------------------------------------------------------
    @property
    def __name__(self):
        return self.name

    @property
    def __parent__(self):
        return self.parent

    def __getitem__(self, key):
        session = object_session(self)
        child = session.scalar(select(Node).where(Node.parent_id == self.id, Node.name == key))
        if child is None:
            raise KeyError(key)
        return child

    def lineage(self):
        node = self
        while node is not None:
            yield node
            node = node.parent

    @property
    def path(self):
        """'/a/b/c' for a node, '/' for the root."""
        names = [n.name for n in self.lineage()][::-1][1:]
        return "/" + "/".join(names)

    def __repr__(self):
        return f"<{type(self).__name__} {self.id} {self.path!r}>"


class Folder(Node):
    __tablename__ = "folders"
    id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), primary_key=True)
    body: Mapped[str] = mapped_column(Text, default="")
    __mapper_args__ = {"polymorphic_identity": "folder"}


resource_terms = Table(
    "resource_terms",
    Base.metadata,
    Column("resource_id", ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True),
    Column("term_id", ForeignKey("terms.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Term(Base):
    """A term of a controlled vocabulary (themes, territories, audiences...).

    One table for every vocabulary keeps editing, import mapping and search
    facets uniform. Two lists of other names, one per line, kept apart because
    they do different jobs:

    - ``aliases`` map free text onto the term when importing (the legacy
      catalogue's "rapport d'activite" is the kind *Rapport*); they are never
      searched: a resource is not about "porter a connaissance" because its kind
      was once spelled so;
    - ``synonyms`` are equivalent names at search time (former names, other
      spellings, abbreviations): a query with one of them also finds the term's
      label, acronym and English label, with a lower weight than what was typed.
    """

    __tablename__ = "terms"
    __table_args__ = (UniqueConstraint("vocabulary", "code", name="uq_terms_vocabulary_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vocabulary: Mapped[str] = mapped_column(String(30), index=True)
    code: Mapped[str] = mapped_column(String(100))
    label: Mapped[str] = mapped_column(String(250))
    label_en: Mapped[str] = mapped_column(String(250), default="")
    acronym: Mapped[str] = mapped_column(String(50), default="")
    aliases: Mapped[str] = mapped_column(Text, default="")
    synonyms: Mapped[str] = mapped_column(Text, default="", server_default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("terms.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)

    parent: Mapped["Term | None"] = relationship("Term", remote_side="Term.id")

    @property
    def alias_list(self):
        return [a.strip() for a in self.aliases.splitlines() if a.strip()]

    @property
    def synonym_list(self):
        return [a.strip() for a in (self.synonyms or "").splitlines() if a.strip()]

    def search_names(self):
        """Every name this term is searched by: label, acronym, English label
        and search synonyms (never the import aliases)."""
        names = [self.label, self.acronym, self.label_en, *self.synonym_list]
        return [n for n in dict.fromkeys(names) if n]

    def display(self, label=None):
        """The label (or ``label``, a translation of it) with the acronym."""
        label = label or self.label
        return f"{label} ({self.acronym})" if self.acronym and self.acronym != self.label else label


class Agent(Base):
    """A creator or contributor of a resource, with the role they played."""

    __tablename__ = "resource_agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), index=True)
    relation: Mapped[str] = mapped_column(String(20))  # "creator" | "contributor"
    name: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    def display(self):
        return f"{self.name} ({self.role})" if self.role else self.name


class Resource(Node):
    """What every resource kind shares: the Dublin Core-like metadata."""

    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), primary_key=True)
    body: Mapped[str] = mapped_column(Text, default="")
    publisher: Mapped[str] = mapped_column(String(300), default="")
    # A resource may be dated by a year, a month or a day: store the parts.
    date_year: Mapped[int | None] = mapped_column(Integer, index=True)
    date_month: Mapped[int | None] = mapped_column(Integer)
    date_day: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(10), default="fr")
    rights: Mapped[str] = mapped_column(String(500), default="")
    # For classroom material: "2 séances de 55 min", "exposition de 12 panneaux".
    duration: Mapped[str] = mapped_column(String(200), default="")
    kind_id: Mapped[int | None] = mapped_column(ForeignKey("terms.id", ondelete="SET NULL"))
    legacy_id: Mapped[str | None] = mapped_column(String(50), unique=True)
    # The legacy record as it was exported, so that nothing the import could not
    # map is lost.
    legacy_data: Mapped[dict | None] = mapped_column(JSON)

    kind: Mapped[Term | None] = relationship(Term, foreign_keys=[kind_id])
    terms: Mapped[list[Term]] = relationship(
        Term, secondary=resource_terms, order_by=(Term.vocabulary, Term.position, Term.label)
    )
    agents: Mapped[list[Agent]] = relationship(
        Agent,
        order_by=(Agent.relation, Agent.position),
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __mapper_args__ = {"polymorphic_identity": "resource"}

    # Whether a visitor's selection ZIP carries its files (an image's original
    # leaves only through the press gallery, logged: gallery/).
    files_in_selection_zip = True

    def terms_of(self, vocabulary):
        return [t for t in self.terms if t.vocabulary == vocabulary]

    def search_parts(self):
        """The parts of the resource findable on their own (an index's entries,
        a guide's chapters, a dossier's articles): [{"anchor", "title", "text",
        "key"}]. A plain resource has none. They are full text: only who may
        read the resource in full finds them."""
        return []

    def notice_text(self):
        """What a kind adds to its notice, findable by whoever may open its page
        (a dossier's review and issue, its articles' titles and summaries).
        A plain resource adds nothing."""
        return ""

    @property
    def creators(self):
        return [a for a in self.agents if a.relation == "creator"]

    @property
    def contributors(self):
        return [a for a in self.agents if a.relation == "contributor"]


class Document(Resource):
    """The generic resource: study, report, brochure, press kit, video link..."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True)
    # A resource that lives elsewhere (video, web site) links to it.
    external_url: Mapped[str] = mapped_column(String(1000), default="")
    __mapper_args__ = {"polymorphic_identity": "document"}


class NodeRedirect(Base):
    """An old path of a node, kept so that links survive moves and renames."""

    __tablename__ = "node_redirects"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String(2000), unique=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), index=True)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SiteState(Base):
    """Small key/value facts about the installation (e.g. demo content loaded)."""

    __tablename__ = "site_state"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
