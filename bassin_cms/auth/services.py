"""Users, passwords and roles: the rules of the auth domain."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from .models import User, utcnow

# Each role includes the ones after it: an administrator can do what a reviewer
# can, a reviewer what an editor can, an editor what a partner can.
ROLES = ("administrator", "reviewer", "editor", "partner")
ROLE_LABELS = {
    "administrator": "Administrateur",
    "reviewer": "Valideur",
    "editor": "Éditeur",
    "partner": "Partenaire",
}

_hasher = PasswordHasher()
# Verifying against this keeps the timing of "unknown e-mail" like "wrong password".
_DUMMY_HASH = _hasher.hash("not a password")


class UserError(ValueError):
    pass


def implied_roles(role):
    if role not in ROLES:
        return []
    return list(ROLES[ROLES.index(role):])


def normalise_email(email):
    return (email or "").strip().lower()


class UserService:
    def __init__(self, dbsession):
        self.dbsession = dbsession

    def get(self, user_id):
        return self.dbsession.get(User, user_id)

    def by_email(self, email):
        return self.dbsession.scalar(
            select(User).where(func.lower(User.email) == normalise_email(email))
        )

    def create(self, email, password, role="partner", name=""):
        email = normalise_email(email)
        if "@" not in email:
            raise UserError(f"Adresse e-mail invalide : {email!r}")
        if role not in ROLES:
            raise UserError(f"Rôle inconnu : {role!r} (choisir parmi {', '.join(ROLES)})")
        if self.by_email(email) is not None:
            raise UserError(f"Un compte existe déjà pour {email}")
        check_password_strength(password)
        user = User(email=email, name=name, role=role, password_hash=_hasher.hash(password))
        self.dbsession.add(user)
        self.dbsession.flush()
        return user

    def set_password(self, user, password):
        check_password_strength(password)
        user.password_hash = _hasher.hash(password)

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

    def display_names(self, user_ids):
        ids = {i for i in user_ids if i}
        if not ids:
            return {}
        rows = self.dbsession.execute(select(User.id, User.name, User.email).where(User.id.in_(ids)))
        return {r.id: r.name or r.email for r in rows}


def check_password_strength(password):
    if not password or len(password) < 10:
        raise UserError("Le mot de passe doit compter au moins 10 caractères.")
