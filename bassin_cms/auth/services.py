"""Users, passwords and roles: the rules of the auth domain."""

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select

from bassin_cms.i18n import Refusal, _
from bassin_cms.names import LOCAL_ROLES, ROLES, SITE_ROLES, Role

from .models import Group, GroupMember, LocalRole, LoginFailure, User, utcnow

ROLE_LABELS = {
    "administrator": _("Administrateur"),
    "reviewer": _("Valideur"),
    "editor": _("Éditeur"),
    "partner": _("Partenaire"),
    "journalist": _("Journaliste"),
}

_hasher = PasswordHasher()
# Verifying against this keeps the timing of "unknown e-mail" like "wrong password".
_DUMMY_HASH = _hasher.hash("not a password")


class UserError(Refusal):
    pass


def implied_roles(role):
    if role == Role.JOURNALIST:
        return [Role.JOURNALIST]
    if role not in ROLES:
        return []
    return list(ROLES[ROLES.index(role) :])


def paris_today():
    return dt.datetime.now(ZoneInfo("Europe/Paris")).date()


def role_ended(user, today=None):
    """Whether ``user``'s site role has reached its end date (a journalist's
    access is given until a date): the last day included."""
    return user.role_ends is not None and user.role_ends < (today or paris_today())


def roles_of(user):
    """The site roles ``user`` holds today: none once their role has ended."""
    return [] if role_ended(user) else implied_roles(user.role)


def normalise_email(email):
    return (email or "").strip().lower()


class UserService:
    def __init__(self, dbsession):
        self.dbsession = dbsession

    def get(self, user_id):
        return self.dbsession.get(User, user_id) if user_id is not None else None

    def by_email(self, email):
        return self.dbsession.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))

    def create(self, email, password, role=Role.PARTNER, name=""):
        email = normalise_email(email)
        if "@" not in email:
            raise UserError(_("Adresse e-mail invalide : ${email}", mapping={"email": repr(email)}))
        if role not in SITE_ROLES:
            raise UserError(
                _(
                    "Rôle inconnu : ${role} (choisir parmi ${roles})",
                    mapping={"role": repr(role), "roles": ", ".join(SITE_ROLES)},
                )
            )
        if self.by_email(email) is not None:
            raise UserError(_("Un compte existe déjà pour ${email}", mapping={"email": email}))
        check_password_strength(password)
        user = User(email=email, name=name, role=role, password_hash=_hasher.hash(password))
        self.dbsession.add(user)
        self.dbsession.flush()
        return user

    def set_password(self, user, password):
        check_password_strength(password)
        user.password_hash = _hasher.hash(password)
        self.end_sessions(user)

    @staticmethod
    def end_sessions(user):
        """Every session of ``user`` stops being valid (logout, new password)."""
        user.session_generation = (user.session_generation or 0) + 1

    def authenticate(self, email, password):
        """The active user with these credentials, or None."""
        user = self.by_email(email)
        if user is None or not user.active or not user.password_hash:
            try:
                _hasher.verify(_DUMMY_HASH, password or "")
            except VerificationError:
                pass
            return None
        try:
            _hasher.verify(user.password_hash, password or "")
        except (VerificationError, InvalidHashError):
            return None
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        user.last_login = utcnow()
        return user

    def all(self):
        return list(self.dbsession.scalars(select(User).order_by(User.email)))

    def display_names(self, user_ids):
        ids = {i for i in user_ids if i}
        if not ids:
            return {}
        rows = self.dbsession.execute(select(User.id, User.name, User.email).where(User.id.in_(ids)))
        return {r.id: r.name or r.email for r in rows}


class GroupService:
    def __init__(self, dbsession):
        self.dbsession = dbsession

    def all(self):
        return list(self.dbsession.scalars(select(Group).order_by(Group.name)))

    def get(self, group_id):
        return self.dbsession.get(Group, group_id)

    def by_name(self, name):
        return self.dbsession.scalar(select(Group).where(Group.name == name))

    def create(self, name, title=""):
        name = (name or "").strip()
        if not name:
            raise UserError(_("Un groupe doit avoir un nom."))
        if self.by_name(name) is not None:
            raise UserError(_("Le groupe « ${name} » existe déjà.", mapping={"name": name}))
        group = Group(name=name, title=title.strip())
        self.dbsession.add(group)
        self.dbsession.flush()
        return group

    def members(self, group):
        return list(
            self.dbsession.scalars(
                select(User)
                .join(GroupMember, GroupMember.user_id == User.id)
                .where(GroupMember.group_id == group.id)
                .order_by(User.email)
            )
        )

    def group_ids_of(self, user_id):
        return list(self.dbsession.scalars(select(GroupMember.group_id).where(GroupMember.user_id == user_id)))

    def set_groups(self, user, group_ids):
        wanted = set(group_ids)
        current = set(self.group_ids_of(user.id))
        for group_id in current - wanted:
            self.dbsession.delete(self.dbsession.get(GroupMember, (group_id, user.id)))
        for group_id in wanted - current:
            self.dbsession.add(GroupMember(group_id=group_id, user_id=user.id))
        self.dbsession.flush()

    def add_member(self, group, user):
        self.set_groups(user, set(self.group_ids_of(user.id)) | {group.id})


class LocalRoleService:
    """Roles granted on a node to a user or a group, inherited down the tree."""

    def __init__(self, dbsession):
        self.dbsession = dbsession

    def all_by_node(self):
        """{node id: [(principal, role)]}: the whole table is small (a few rows a
        folder), so one query a request answers every permission check."""
        out = {}
        for row in self.dbsession.execute(select(LocalRole.node_id, LocalRole.principal, LocalRole.role)):
            out.setdefault(row.node_id, []).append((row.principal, row.role))
        return out

    def on(self, node_id):
        return list(
            self.dbsession.scalars(
                select(LocalRole).where(LocalRole.node_id == node_id).order_by(LocalRole.principal, LocalRole.role)
            )
        )

    def grant(self, node_id, principal, role):
        if role not in LOCAL_ROLES:
            raise UserError(_("Rôle inconnu : ${role}", mapping={"role": role}))
        if not principal.startswith(("user:", "group:")):
            raise UserError(_("Destinataire inconnu : ${principal}", mapping={"principal": principal}))
        exists = self.dbsession.scalar(
            select(LocalRole).where(
                LocalRole.node_id == node_id, LocalRole.principal == principal, LocalRole.role == role
            )
        )
        if exists is None:
            exists = LocalRole(node_id=node_id, principal=principal, role=role)
            self.dbsession.add(exists)
            self.dbsession.flush()
        return exists

    def revoke(self, local_role_id, node_id):
        local_role = self.dbsession.get(LocalRole, local_role_id)
        if local_role is None or local_role.node_id != node_id:
            return None
        self.dbsession.delete(local_role)
        self.dbsession.flush()
        return local_role

    def users_with_role(self, lineage_ids, role):
        """Active users who hold ``role`` (or a higher one) on any of these nodes,
        directly or through a group, plus those who hold it site-wide."""
        wanted = set(ROLES[: ROLES.index(role) + 1])
        global_users = set(self.dbsession.scalars(select(User).where(User.role.in_(wanted), User.active.is_(True))))
        rows = (
            self.dbsession.execute(
                select(LocalRole.principal).where(LocalRole.node_id.in_(lineage_ids), LocalRole.role.in_(wanted))
            )
            .scalars()
            .all()
        )
        user_ids = {int(p.split(":")[1]) for p in rows if p.startswith("user:")}
        group_ids = {int(p.split(":")[1]) for p in rows if p.startswith("group:")}
        if group_ids:
            user_ids |= set(
                self.dbsession.scalars(select(GroupMember.user_id).where(GroupMember.group_id.in_(group_ids)))
            )
        local_users = (
            set(self.dbsession.scalars(select(User).where(User.id.in_(user_ids), User.active.is_(True))))
            if user_ids
            else set()
        )
        return sorted(global_users | local_users, key=lambda u: u.email)


def check_password_strength(password):
    if not password or len(password) < 10:
        raise UserError(_("Le mot de passe doit compter au moins 10 caractères."))


class LoginThrottle:
    """Slows repeated failed logins down, per account and per address, without
    locking anyone out for good: after FREE_FAILURES failures, each new try
    waits 2, 4, 8 … seconds after the last failure, at most MAX_WAIT; an hour
    without a failure forgets them, and so does a success."""

    FREE_FAILURES = 5
    MAX_WAIT = 15 * 60
    FORGET_AFTER = dt.timedelta(hours=1)

    def __init__(self, dbsession):
        self.dbsession = dbsession

    @staticmethod
    def keys(email, address):
        hashed = hashlib.sha256((address or "").encode()).hexdigest()[:40]
        return [f"account:{(email or '').strip().lower()[:80]}", f"address:{hashed}"]

    def wait(self, email, address, now=None):
        """Seconds before another try is allowed (0: now)."""
        now = now or utcnow()
        longest = 0
        for row in self.dbsession.scalars(select(LoginFailure).where(LoginFailure.key.in_(self.keys(email, address)))):
            last = row.last_failure if row.last_failure.tzinfo else row.last_failure.replace(tzinfo=dt.UTC)
            if now - last > self.FORGET_AFTER or row.failures < self.FREE_FAILURES:
                continue
            delay = min(self.MAX_WAIT, 2 ** (row.failures - self.FREE_FAILURES + 1))
            longest = max(longest, delay - (now - last).total_seconds())
        return max(0, int(longest + 0.999))

    def failed(self, email, address, now=None):
        now = now or utcnow()
        for key in self.keys(email, address):
            row = self.dbsession.get(LoginFailure, key)
            if row is None:
                self.dbsession.add(LoginFailure(key=key, failures=1, last_failure=now))
                continue
            last = row.last_failure if row.last_failure.tzinfo else row.last_failure.replace(tzinfo=dt.UTC)
            row.failures = 1 if now - last > self.FORGET_AFTER else row.failures + 1
            row.last_failure = now
        self.dbsession.flush()

    def succeeded(self, email, address):
        """The right password: this account's and this address's failures are
        forgotten (a school's shared address is not kept waiting)."""
        self.dbsession.execute(delete(LoginFailure).where(LoginFailure.key.in_(self.keys(email, address))))
