"""Who may see what: the one definition, and each consumer's form of it.

Two permissions are about seeing: ``view`` (a node's page; for a resource
reserved to partners, only its notice) and ``view_full`` (its text, files and
thumbnails). The rule:

- a node is **open** when it is published and within its publication dates,
  or archived and left public (folders are always open);
- a node is **reserved** when it, or any folder above it, is restricted to
  partners;
- the **staff** of a node, who see it in every state and in full, are the
  site roles editor, reviewer and administrator, and whoever holds the
  editor or reviewer role locally on it or on a folder above it (an owner
  who may edit is always one of these: auth/security.py);
- anyone may ``view`` an open node; ``view_full`` of an open node that is
  reserved needs the partner role, on the site or locally on the node or a
  folder above (staff roles include it);
- a node of the press gallery (an image) is for the press: ``view`` and
  ``view_full`` of an open one need the journalist role (a site role with an
  end date, auth/services.py ``roles_of``); staff see it as any node.

Its forms, all built here:
- ``acl_for`` (workflow/security.py) asks ``is_open`` and ``is_reserved``;
- ``principal_tokens(request)``: who asks, in the tokens below;
- ``may(node, tokens, permission)``: the predicate itself, in Python
  (visible_to_public, what may be linked or harvested);
- ``index_tokens(node)``: what the search index stores with a document, for
  its notice (``view``) and its full text (``view_full``); its dates are
  checked at query time against ``effective``/``expires``;
- ``clause(permission, tokens, at)``: the SQL WHERE clause for listings,
  feeds, OAI, the API, the sitemap, the home page and the teachers' page;
- the page cache keeps only what an anonymous visitor may see, and its key
  moves at each visibility date (changes/clock.py reads ``next`` dates).

Tokens: "system.Everyone", "role:<site role>", "local:<node id>:<role>".
A property test (tests/unit/workflow/test_visibility_agrees.py) proves that
the ACL, the SQL clause and both search backends agree.
"""

import datetime as dt

from sqlalchemy import and_, or_, select, true

from bassin_cms.names import STAFF_ROLES, Role, State, role_principal

EVERYONE = "system.Everyone"
LOCAL_STAFF_ROLES = (Role.REVIEWER, Role.EDITOR)
READER_ROLES = (Role.PARTNER,)  # and every staff role, which implies it
PRESS_ROLES = (Role.JOURNALIST,)
# Kinds seen only by the press (and staff): the image gallery.
PRESS_ONLY_TYPES = ("image",)
PUBLISHED, ARCHIVED = State.PUBLISHED, State.ARCHIVED


def now():
    return dt.datetime.now(dt.UTC)


def aware(value):
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def local_token(node_id, role):
    return f"local:{node_id}:{role}"


# --- the definition, on a node ------------------------------------------------
def is_open_ignoring_dates(node):
    if node.type == "folder":
        return True
    return node.state == PUBLISHED or (node.state == ARCHIVED and bool(node.public_when_archived))


def is_open(node, at=None):
    """Open to anyone at ``at`` (now by default)."""
    if node.type == "folder":
        return True
    if node.state == ARCHIVED:
        return bool(node.public_when_archived)
    if node.state != PUBLISHED:
        return False
    at = at or now()
    effective, expires = aware(node.effective), aware(node.expires)
    return (effective is None or effective <= at) and (expires is None or expires > at)


def is_press_only(node):
    """Part of the press gallery: for journalists and staff only."""
    return node.type in PRESS_ONLY_TYPES


def is_reserved(node):
    """Restricted to partners, by itself or by a folder above it."""
    return any(n.restricted for n in node.lineage())


def sees_press_only(tokens):
    """Whether someone holding ``tokens`` may see the press gallery at all
    (journalists and the site's staff), for the pages that list it."""
    return bool(set(tokens) & {role_principal(r) for r in PRESS_ROLES + STAFF_ROLES})


def staff_tokens(node):
    tokens = [role_principal(r) for r in STAFF_ROLES]
    for holder in node.lineage():
        tokens += [local_token(holder.id, r) for r in LOCAL_STAFF_ROLES]
    return tokens


def open_tokens(node, permission):
    """Who may see ``node`` while it is open."""
    if is_press_only(node):
        return [role_principal(r) for r in PRESS_ROLES]
    if permission == "view" or not is_reserved(node):
        return [EVERYONE]
    tokens = [role_principal(r) for r in READER_ROLES]
    for holder in node.lineage():
        tokens += [local_token(holder.id, r) for r in READER_ROLES + LOCAL_STAFF_ROLES]
    return tokens


def may(node, tokens, permission="view", at=None):
    """May someone holding ``tokens`` see ``node`` (``view`` or ``view_full``)?"""
    tokens = set(tokens)
    if tokens & set(staff_tokens(node)):
        return True
    return is_open(node, at) and bool(tokens & set(open_tokens(node, permission)))


def index_tokens(node):
    """(staff tokens, full-text tokens, notice tokens) for a search document:
    who may find it by its text and files while it is open (``view_full``),
    and who by its notice (``view``); no open token when it is not open
    whatever the date."""
    if not is_open_ignoring_dates(node):
        return staff_tokens(node), [], []
    return staff_tokens(node), open_tokens(node, "view_full"), open_tokens(node, "view")


# --- who asks -----------------------------------------------------------------
def principal_tokens(request):
    """The tokens of whoever makes ``request``: Everyone, their site roles
    and the local roles they hold (themselves or through a group)."""
    from bassin_cms.auth.services import implied_roles, roles_of

    tokens = [EVERYONE]
    user = request.user
    if user is None:
        return tokens
    own = {f"user:{user.id}"} | {f"group:{g}" for g in request.user_group_ids}
    tokens += [role_principal(r) for r in roles_of(user)]
    for node_id, grants in request.all_local_roles.items():  # the policy's own read
        for principal, role in grants:
            if principal in own:
                tokens += [local_token(node_id, r) for r in implied_roles(role)]
    return tokens


# --- SQL ------------------------------------------------------------------------
def _subtree(node_table, roots, name="subtree"):
    """A recursive select of the ids of ``roots`` (a condition on nodes) and
    of every node below them (``name``: one per subtree in a statement)."""
    base = select(node_table.c.id).where(roots).cte(name, recursive=True)
    below = select(node_table.c.id).where(node_table.c.parent_id == base.c.id)
    return select(base.union_all(below).c.id)


def _local_ids(tokens, roles):
    out = set()
    for token in tokens:
        parts = token.split(":")
        if len(parts) == 3 and parts[0] == "local" and parts[2] in roles and parts[1].isdigit():
            out.add(int(parts[1]))
    return out


def clause(permission="view", tokens=(EVERYONE,), at=None, entity=None):
    """The WHERE clause of the nodes someone holding ``tokens`` may see, for
    a select over ``entity`` (Node or one of its subclasses)."""
    from bassin_cms.content.models import Node

    entity = entity if entity is not None else Node
    nodes = Node.__table__
    at = at or now()
    tokens = set(tokens)
    if tokens & {role_principal(r) for r in STAFF_ROLES}:
        return true()
    live = and_(
        entity.state == PUBLISHED,
        or_(entity.effective.is_(None), entity.effective <= at),
        or_(entity.expires.is_(None), entity.expires > at),
    )
    opened = or_(entity.type == "folder", live, and_(entity.state == ARCHIVED, entity.public_when_archived.is_(True)))
    if not tokens & {role_principal(r) for r in PRESS_ROLES}:
        opened = and_(opened, entity.type.not_in(PRESS_ONLY_TYPES))
    if permission != "view":
        readers = _local_ids(tokens, READER_ROLES + LOCAL_STAFF_ROLES)
        if not tokens & {role_principal(r) for r in READER_ROLES}:
            reserved = entity.id.in_(_subtree(nodes, nodes.c.restricted.is_(True), "reserved"))
            allowed = ~reserved
            if tokens & {role_principal(r) for r in PRESS_ROLES}:
                # The press gallery is the journalists' whatever its folders' restriction.
                allowed = or_(allowed, entity.type.in_(PRESS_ONLY_TYPES))
            if readers:
                allowed = or_(allowed, entity.id.in_(_subtree(nodes, nodes.c.id.in_(readers), "read")))
            opened = and_(opened, allowed)
    staff = _local_ids(tokens, LOCAL_STAFF_ROLES)
    if staff:
        return or_(opened, entity.id.in_(_subtree(nodes, nodes.c.id.in_(staff), "staffed")))
    return opened


def visible_clause(request, permission="view", entity=None):
    """``clause`` for whoever makes ``request``."""
    return clause(permission, principal_tokens(request), entity=entity)
