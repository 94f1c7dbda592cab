"""The one visibility rule, in its three forms, gives one answer.

Hypothesis builds trees (folders restricted or not, resources in any state,
with publication dates around now, archived ones left public or not), and
users (anonymous, or any site role, with local roles on any folder, some of
them creators of resources). For every node and user it asks:
- the ACL, through the security policy the pages use (Pyramid's ACLHelper
  over the policy's effective principals: local roles, owner);
- the SQL clause used by listings, feeds, OAI and the API;
- the search backend in use (Whoosh, or PostgreSQL in the PostgreSQL run),
  through the documents it indexed and its permission filter;
and asserts that they agree, for ``view`` and ``view_full`` (search: what
may be found by its notice, and by its full text).
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyramid.authorization import ACLHelper
from sqlalchemy import select
from sqlalchemy.orm import Session

from bassin_cms.auth.models import User
from bassin_cms.auth.security import SecurityPolicy
from bassin_cms.changes.models import Change
from bassin_cms.content.models import Document, Folder, Node
from bassin_cms.content.services import ContentService
from bassin_cms.gallery.models import ImageResource
from bassin_cms.search.backend import Plan
from bassin_cms.search.query import Thesaurus, build_query
from bassin_cms.workflow import visibility

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
DATES = st.sampled_from([None, NOW - dt.timedelta(days=2), NOW + dt.timedelta(days=2)])
STATES = st.sampled_from(["draft", "pending", "published", "archived"])
SITE_ROLES = st.sampled_from([None, "partner", "journalist", "editor", "reviewer", "administrator"])
LOCAL_ROLES = st.sampled_from(["partner", "editor", "reviewer"])

folders = st.lists(st.tuples(st.integers(0, 10), st.booleans()), min_size=1, max_size=4)
resources = st.lists(
    st.fixed_dictionaries(
        {
            "folder": st.integers(0, 10),
            "state": STATES,
            "effective": DATES,
            "expires": DATES,
            "public_when_archived": st.booleans(),
            "restricted": st.booleans(),
            "creator": st.integers(0, 3),
            "image": st.booleans(),  # the press gallery's kind, for journalists only
        }
    ),
    min_size=1,
    max_size=6,
)
users = st.lists(
    st.fixed_dictionaries(
        {
            "role": SITE_ROLES,
            "role_ended": st.booleans(),  # a journalist whose access reached its end date
            "grants": st.lists(st.tuples(st.integers(0, 10), LOCAL_ROLES), max_size=2),
        }
    ),
    min_size=1,
    max_size=4,
)


@dataclass
class Asker:
    """What a request carries about who asks, for the policy and the tokens."""

    user: object
    grants: dict = field(default_factory=dict)  # {node id: [(principal, role)]}
    user_group_ids: tuple = ()

    def local_roles_of(self, node_id):
        return self.grants.get(node_id, ())

    @property
    def all_local_roles(self):
        return self.grants


def build(session, tree, items, people):
    content = ContentService(session)
    top = content.create(content.root(), Folder, title=f"Arbre {NOW.timestamp()}")
    made_folders = [top]
    for parent, restricted in tree:
        made_folders.append(
            content.create(
                made_folders[parent % len(made_folders)],
                Folder,
                title=f"Dossier {len(made_folders)}",
                restricted=restricted,
            )
        )
    accounts = []
    for n, person in enumerate(people):
        account = None
        if person["role"]:
            account = User(email=f"u{n}-{NOW.timestamp()}@example.org", role=person["role"], password_hash="x")
            if person["role_ended"]:
                account.role_ends = dt.date.today() - dt.timedelta(days=1)
            session.add(account)
            session.flush()
        accounts.append(account)
    made = []
    for n, item in enumerate(items):
        creator = accounts[item["creator"] % len(accounts)]
        made.append(
            content.create(
                made_folders[item["folder"] % len(made_folders)],
                ImageResource if item["image"] else Document,
                title=f"Ressource {n}",
                state=item["state"],
                effective=item["effective"],
                expires=item["expires"],
                public_when_archived=item["public_when_archived"],
                restricted=item["restricted"],
                creator_id=creator.id if creator is not None else None,
            )
        )
    askers = []
    for person, account in zip(people, accounts, strict=False):
        grants = {}
        if account is not None:
            for index, role in person["grants"]:
                node = made_folders[index % len(made_folders)]
                grants.setdefault(node.id, []).append((f"user:{account.id}", role))
        askers.append(Asker(user=account, grants=grants))
    return top, made_folders + made, askers


def acl_allows(node, asker, permission):
    principals = SecurityPolicy().effective_principals(asker, node)
    return bool(ACLHelper().permits(node, principals, permission))


def sql_allows(session, node_ids, tokens, permission):
    clause = visibility.clause(permission, tokens, at=NOW)
    return set(session.scalars(select(Node.id).where(Node.id.in_(node_ids), clause)))


def search_finds(backend, tokens, permission):
    reach = "notice" if permission == "view" else "full"
    plan = Plan(query=None, principals=tuple(tokens), now=NOW, sort="date", start=0, stop=10_000, reach=reach)
    return {fields["node_id"] for fields, _score in backend.find(plan).hits}


WORD = build_query("ressource", Thesaurus([]))


def word_finds(backend, tokens):
    """What a search for a word every resource's title holds finds: each
    resource whose notice whoever asks may see (the words' own path, which a
    backend may answer apart from the listing's)."""
    plan = Plan(query=WORD, principals=tuple(tokens), now=NOW, sort="date", start=0, stop=10_000)
    return {fields["node_id"] for fields, _score in backend.find(plan).hits}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(tree=folders, items=resources, people=users)
def test_acl_sql_and_search_agree(app, tree, items, people):
    engine, backend, worker = app.registry["dbengine"], app.registry["search_backend"], app.registry["outbox_worker"]
    import bassin_cms.workflow.visibility as module

    module_now = module.now
    # Hypothesis seeds the random module the same way for every example, and
    # Whoosh names its segments with it: the same names again would defeat
    # the per-segment caches, which trust a name to be new.
    random.seed()
    module.now = lambda: NOW  # the ACL's "now" is the one the other forms are asked for
    try:
        with Session(bind=engine) as session:
            top, nodes, askers = build(session, tree, items, people)
            session.commit()
            worker.drain()
            problem = backend.verify()
            pending = session.scalars(select(Change.error).where(Change.error != "")).all()
            assert problem is None and not pending, (problem, pending[:1])
            ids = [n.id for n in nodes]
            resource_ids = {n.id for n in nodes if n.type != "folder"}
            for asker in askers:
                tokens = visibility.principal_tokens(asker)
                for permission in ("view", "view_full"):
                    by_acl = {n.id for n in nodes if acl_allows(n, asker, permission)}
                    by_rule = {n.id for n in nodes if visibility.may(n, tokens, permission, at=NOW)}
                    assert by_acl == by_rule, (permission, asker.user and asker.user.role, asker.grants)
                    assert sql_allows(session, ids, tokens, permission) == by_acl, permission
                    assert search_finds(backend, tokens, permission) & resource_ids == by_acl & resource_ids, permission
                    if permission == "view":
                        assert word_finds(backend, tokens) & resource_ids == by_acl & resource_ids, "a word"
    finally:
        module.now = module_now
        with Session(bind=engine) as session:
            for node in session.scalars(
                select(Node).where(Node.parent_id == ContentService(session).root().id, Node.title.like("Arbre %"))
            ):
                ContentService(session).delete(node)
            session.execute(User.__table__.delete().where(User.email.like("u%@example.org")))
            session.commit()
        worker.drain()
