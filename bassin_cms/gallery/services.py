"""The press gallery's rules: who may take an original, what it carries,
journalists' access, time-limited links and the download log.

Who may *see* an image is the one visibility rule (workflow/visibility.py:
images are for journalists and staff). What is decided here is what leaves:
an original goes only to who may see the image in full, only while its usage
terms run, with its caption, credit and terms written into the file, and
each one is logged.
"""

import csv
import datetime as dt
import hashlib
import hmac
import io
import secrets
import uuid

from pyramid_mailer import get_mailer
from pyramid_mailer.message import Message
from sqlalchemy import func, select

from bassin_cms.auth.models import User
from bassin_cms.auth.services import normalise_email, paris_today
from bassin_cms.content.text import csv_cell
from bassin_cms.i18n import Refusal, _
from bassin_cms.names import Role, role_principal
from bassin_cms.params import id_param
from bassin_cms.workflow.visibility import visible_clause

from .metadata import embedded_copy
from .models import AccessRequest, ImageResource, PressDownload, PressLink

# How long an accepted journalist keeps access, unless staff choose otherwise.
ACCESS_DAYS = 365
LINK_DAYS = 7
MAX_LINK_DAYS = 90
PASSWORD_LINK_DAYS = 7
MAX_ZIP_IMAGES = 100
MAX_REQUESTS_AN_HOUR = 30


class GalleryError(Refusal):
    pass


def utcnow():
    return dt.datetime.now(dt.UTC)


def terms_ended(image, today=None):
    """Its usage terms ended (the end date is the last day of use)."""
    return image.usage_ends is not None and image.usage_ends < (today or paris_today())


def publish_problems(request, image):
    """What stops an image from being published (the workflow refuses)."""
    problems = []
    if not (image.credit or "").strip():
        problems.append(_("l'image n'a pas de crédit (© auteur / organisme)"))
    if request.file_service.main_file(image) is None:
        problems.append(_("l'image n'a pas de fichier"))
    return problems


def _aware(value):
    return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


class GalleryService:
    def __init__(self, request):
        self.request = request
        self.dbsession = request.dbsession

    # --- what leaves ------------------------------------------------------------
    def may_take_original(self, image):
        """The original (and a ZIP of it) for who may see the image in full,
        while its terms run."""
        return self.request.has_permission("view_full", image) and not terms_ended(image)

    def original(self, image):
        """(key in the store, size, the image's main file) of the original with
        its caption, credit and terms written in (IPTC and XMP), or None when
        the image has no stored file."""
        attached = self.request.file_service.main_file(image)
        if attached is None or not self.request.file_service.is_stored(attached):
            return None
        store = self.request.registry["blob_storage"]
        key, size = embedded_copy(store, attached, self.described(image))
        return key, size, attached

    def described(self, image):
        """What is written into the downloaded file and into CREDITS.txt."""
        authors = ", ".join(a.name for a in image.creators)
        return {
            "title": image.title,
            "caption": image.caption or image.title,
            "credit": image.credit,
            "authors": authors,
            "usage_terms": self.terms_text(image),
            "permalink": self.request.route_url("shortlink", shortid=image.shortid, rest=()),
            "alt_text": image.alt_text,
        }

    @staticmethod
    def terms_text(image):
        terms = (image.usage_terms or "").strip() or "Usage presse, avec le crédit indiqué."
        if image.usage_ends:
            terms += f" Jusqu'au {image.usage_ends:%d/%m/%Y}."
        return terms

    def credits_text(self, images, names):
        lines = [
            "Crédits des images — Mission Bassin Minier Nord-Pas de Calais",
            "",
            "Chaque image doit être publiée avec son crédit, dans le respect de ses conditions d'utilisation.",
            "",
        ]
        for image in images:
            about = self.described(image)
            lines += [
                f"* {names[image.id]}",
                f"  Titre : {about['title']}",
                f"  Légende : {about['caption']}",
                f"  Crédit : © {about['credit']}",
                f"  Conditions : {about['usage_terms']}",
                f"  Lien permanent : {about['permalink']}",
                "",
            ]
        return "\r\n".join(lines) + "\r\n"

    def log(self, images, how, link=None):
        """One row per image that left; the rows of one ZIP share an id."""
        user = self.request.user
        if link is not None:
            who = f"{link.recipient} <{link.email}> (lien n° {link.id})" if link.email else link.recipient
        else:
            who = f"{user.display_name} <{user.email}>" if user else "?"
        archive = uuid.uuid4().hex if how == "zip" else ""
        for image in images:
            self.dbsession.add(
                PressDownload(
                    user_id=user.id if user is not None and link is None else None,
                    link_id=link.id if link is not None else None,
                    who=who[:400],
                    image_id=image.id,
                    image_title=image.title[:500],
                    how=how,
                    archive=archive,
                )
            )
            self.request.count_hit(image, "download")
        self.dbsession.flush()

    def downloads(self, limit=500):
        return list(self.dbsession.scalars(select(PressDownload).order_by(PressDownload.at.desc()).limit(limit)))

    @staticmethod
    def downloads_csv(rows):
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["date (UTC)", "qui", "image", "id de l'image", "téléchargement", "archive"])
        for row in rows:
            writer.writerow(
                csv_cell(value)
                for value in (
                    f"{_aware(row.at):%Y-%m-%d %H:%M:%S}",
                    row.who,
                    row.image_title,
                    row.image_id or "",
                    "original" if row.how == "original" else "ZIP",
                    row.archive,
                )
            )
        return "\ufeff" + out.getvalue()  # the BOM: spreadsheet programs read UTF-8

    # --- the gallery --------------------------------------------------------------
    def visible_images(self, ids=None):
        """The images whoever asks may see (in ``ids``' order when given)."""
        query = select(ImageResource).where(visible_clause(self.request, "view", entity=ImageResource))
        if ids is not None:
            query = query.where(ImageResource.id.in_(ids))
        images = list(self.dbsession.scalars(query.order_by(ImageResource.title)))
        if ids is not None:
            order = {i: n for n, i in enumerate(ids)}
            images.sort(key=lambda image: order.get(image.id, 0))
        return images

    def ended_terms(self):
        """Images whose usage terms have ended (flagged to staff)."""
        return list(
            self.dbsession.scalars(
                select(ImageResource)
                .where(ImageResource.usage_ends < paris_today())
                .order_by(ImageResource.usage_ends.desc())
            )
        )

    # --- journalists' access ------------------------------------------------------
    def ask_access(self, data):
        email = normalise_email(data["email"])
        recent = self.dbsession.scalar(
            select(func.count())
            .select_from(AccessRequest)
            .where(AccessRequest.created > utcnow() - dt.timedelta(hours=1))
        )
        if recent >= MAX_REQUESTS_AN_HOUR:
            # A flood (a robot) fills neither the queue nor the press desk's mailbox.
            raise GalleryError(
                _("Trop de demandes en ce moment : réessayez dans une heure, ou écrivez au service presse.")
            )
        existing = self.dbsession.scalar(
            select(AccessRequest).where(AccessRequest.email == email, AccessRequest.status == "pending")
        )
        if existing is not None:
            raise GalleryError(
                _("Une demande est déjà en cours pour ${email} : vous recevrez un courriel.", mapping={"email": email})
            )
        request_ = AccessRequest(
            name=data["name"].strip(),
            outlet=data["outlet"].strip(),
            email=email,
            credentials=data["credentials"].strip(),
            purpose=data["purpose"].strip(),
        )
        self.dbsession.add(request_)
        self.dbsession.flush()
        # The press desk learns of it without watching the queue.
        desk = self.dbsession.scalars(
            select(User.email).where(User.role == Role.ADMINISTRATOR, User.active.is_(True))
        ).all()
        for email in desk:
            self._mail(
                email,
                f"[Espace presse] Demande d'accès de {request_.name} ({request_.outlet})",
                [
                    f"{request_.name} ({request_.outlet}, {request_.email}) demande l'accès à la photothèque.",
                    "",
                    f"Carte de presse ou référence : {request_.credentials}",
                    f"Objet : {request_.purpose}",
                    "",
                    f"Accepter ou refuser : {self.request.route_url('press_requests')}",
                ],
            )
        return request_

    def access_requests(self, status="pending"):
        query = select(AccessRequest).order_by(AccessRequest.created.desc())
        if status:
            query = query.where(AccessRequest.status == status)
        return list(self.dbsession.scalars(query))

    def access_request(self, request_id):
        return self.dbsession.get(AccessRequest, request_id) if request_id else None

    def accept(self, access, until):
        """An account with the journalist role until ``until`` (a date,
        included), and a mail with a link to choose a password."""
        if access.status != "pending":
            raise GalleryError(_("Cette demande a déjà été traitée."))
        if until < paris_today():
            raise GalleryError(_("La date de fin d'accès est passée."))
        user = self.request.user_service.by_email(access.email)
        if user is not None and user.role != Role.JOURNALIST:
            # A partner or staff account is never turned into a journalist's
            # (it would lose what it has): an administrator decides by hand.
            raise GalleryError(
                _(
                    "${email} a déjà un compte (partenaire ou équipe) : donnez-lui l'accès depuis l'administration.",
                    mapping={"email": access.email},
                )
            )
        if user is None:
            user = User(email=access.email, name=access.name, role=Role.JOURNALIST, password_hash="")
            self.dbsession.add(user)
        else:
            user.role, user.active = Role.JOURNALIST, True
        user.role_ends = until
        self.dbsession.flush()
        access.status, access.user_id = "accepted", user.id
        access.decided, access.decided_by = utcnow(), self.request.user.email
        self._mail(
            access.email,
            "[Espace presse] Votre accès à la photothèque",
            [
                f"Bonjour {access.name},",
                "",
                f"Votre demande d'accès à la photothèque de la Mission Bassin Minier est acceptée, "
                f"jusqu'au {until:%d/%m/%Y}.",
                "",
                f"Choisissez votre mot de passe (lien valable {PASSWORD_LINK_DAYS} jours) :",
                self.password_link(user),
                "",
                f"Puis connectez-vous avec l'adresse {access.email} : {self.request.route_url('gallery')}",
            ],
        )
        return user

    def refuse(self, access, reason):
        if access.status != "pending":
            raise GalleryError(_("Cette demande a déjà été traitée."))
        reason = (reason or "").strip()
        if not reason:
            raise GalleryError(_("Indiquez le motif du refus : il est envoyé au demandeur."))
        access.status, access.reason = "refused", reason
        access.decided, access.decided_by = utcnow(), self.request.user.email
        self._mail(
            access.email,
            "[Espace presse] Votre demande d'accès à la photothèque",
            [
                f"Bonjour {access.name},",
                "",
                "Votre demande d'accès à la photothèque de la Mission Bassin Minier n'a pas été acceptée.",
                "",
                "Motif :",
                reason,
                "",
                f"Le service presse reste joignable : {self.request.route_url('press')}",
            ],
        )

    def _mail(self, to, subject, lines):
        settings = self.request.registry.settings
        get_mailer(self.request).send(
            Message(
                subject=subject,
                sender=settings.get("mail.default_sender", "ressources@missionbassinminier.org"),
                recipients=[to],
                body="\n".join(lines) + "\n",
            )
        )

    # --- choosing a password (an accepted journalist) ------------------------------
    def _password_signature(self, user, expires):
        # Bound to the current password hash: the link works once.
        secret = self.request.registry.settings["bassin.session_secret"].encode()
        message = f"{user.id}:{expires}:{user.password_hash}:{user.session_generation or 0}".encode()
        return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]

    def password_token(self, user, days=PASSWORD_LINK_DAYS):
        expires = int((utcnow() + dt.timedelta(days=days)).timestamp())
        return f"{user.id}-{expires}-{self._password_signature(user, expires)}"

    def password_link(self, user):
        return self.request.route_url("press_password", token=self.password_token(user))

    def user_of_password_token(self, token):
        """The account a password link is for, or None (forged, used, expired)."""
        parts = (token or "").split("-")
        if len(parts) != 3 or id_param(parts[0]) is None or not (parts[1].isascii() and parts[1].isdigit()):
            return None
        user = self.request.user_service.get(id_param(parts[0]))
        if user is None or not user.active or int(parts[1]) < utcnow().timestamp():
            return None
        expected = self._password_signature(user, int(parts[1]))
        return user if hmac.compare_digest(expected, parts[2]) else None

    # --- time-limited links ---------------------------------------------------------
    @staticmethod
    def _hash(secret):
        return hashlib.sha256(secret.encode()).hexdigest()

    def create_link(self, recipient, email, image_ids, days):
        if not 1 <= days <= MAX_LINK_DAYS:
            raise GalleryError(_("Un lien vaut de 1 à ${days} jours.", mapping={"days": MAX_LINK_DAYS}))
        images = self.visible_images(image_ids) if image_ids else []
        if image_ids and len(images) != len(set(image_ids)):
            raise GalleryError(_("Une des images choisies n'existe plus."))
        secret = secrets.token_urlsafe(24)
        link = PressLink(
            secret_hash=self._hash(secret),
            recipient=recipient.strip(),
            email=normalise_email(email),
            image_ids=[i.id for i in images],
            expires=utcnow() + dt.timedelta(days=days),
            created_by=self.request.user.email,
        )
        self.dbsession.add(link)
        self.dbsession.flush()
        return link, f"{link.id}.{secret}"

    def link_of(self, token):
        """(link, None) for a valid token, or (None, why) for a link that
        does not exist, has expired or was revoked."""
        link_id, _dot, secret = (token or "").partition(".")
        link_id = id_param(link_id)
        link = self.dbsession.get(PressLink, link_id) if link_id and secret else None
        if link is None or not hmac.compare_digest(link.secret_hash, self._hash(secret)):
            return None, _("Ce lien n'existe pas. Vérifiez qu'il a été copié en entier.")
        if link.revoked is not None:
            return None, _("Ce lien a été révoqué par la Mission Bassin Minier.")
        if _aware(link.expires) <= utcnow():
            return None, _(
                "Ce lien a expiré le ${date}. Demandez-en un nouveau au service presse.",
                mapping={"date": f"{_aware(link.expires):%d/%m/%Y}"},
            )
        return link, None

    def link_images(self, link):
        """The published images a link gives (all of the gallery when it names none)."""
        from bassin_cms.workflow.visibility import EVERYONE, clause

        # Seen as a journalist would see them: open images only, never a draft.
        journalist = (EVERYONE, role_principal(Role.JOURNALIST))
        query = select(ImageResource).where(clause("view", journalist, entity=ImageResource))
        if link.image_ids:
            query = query.where(ImageResource.id.in_(link.image_ids))
        return list(self.dbsession.scalars(query.order_by(ImageResource.title)))

    def used(self, link):
        link.uses = (link.uses or 0) + 1
        link.last_used = utcnow()

    def revoke(self, link):
        if link.revoked is None:
            link.revoked = utcnow()

    def links(self):
        return list(self.dbsession.scalars(select(PressLink).order_by(PressLink.created.desc())))

    def link(self, link_id):
        return self.dbsession.get(PressLink, link_id) if link_id else None
