"""The validation circuit: firing transitions, history, queue, scheduling."""

from zoneinfo import ZoneInfo

import colander
from pyramid_mailer import get_mailer
from sqlalchemy import select

from bassin_cms.auth.models import User
from bassin_cms.auth.services import LocalRoleService
from bassin_cms.content.models import Resource
from bassin_cms.content.registry import type_of
from bassin_cms.i18n import Refusal, _
from bassin_cms.names import Role

from . import audit
from .models import AuditEntry, WorkflowEntry
from .notifications import message_for
from .security import PENDING, PUBLISHED, STATES, TRANSITIONS, aware, now

PARIS = ZoneInfo("Europe/Paris")
SYSTEM_ACTOR = "publication programmée (bassin-cms publish-due)"


class WorkflowError(Refusal):
    """The message is for the person who tried."""


class WorkflowService:
    def __init__(self, request):
        self.request = request
        self.dbsession = request.dbsession

    @staticmethod
    def state_label(state):
        return STATES.get(state, state)

    @staticmethod
    def done_label(transition):
        """What a history entry says was done ("publié")."""
        return TRANSITIONS[transition].done if transition in TRANSITIONS else transition

    def available(self, node):
        if not isinstance(node, Resource):
            return []
        return [
            t
            for t in TRANSITIONS.values()
            if node.state in t.source and self.request.has_permission(t.permission, node)
        ]

    def overtaken(self, node, transition):
        """The message for someone whose transition another person's has made
        impossible since the page was shown ("déjà publiée par Paul le 1er
        décembre à 20 h 10"), or None when it was never possible for them."""
        if not isinstance(node, Resource) or node.state in transition.source:
            return None
        last = self.dbsession.scalars(
            select(WorkflowEntry)
            .where(WorkflowEntry.node_id == node.id)
            .order_by(WorkflowEntry.created.desc(), WorkflowEntry.id.desc())
            .limit(1)
        ).first()
        if last is None:
            return None
        at = aware(last.created).astimezone(PARIS)
        return _(
            "« ${action} » n'est plus possible : « ${title} » a été ${done} par ${actor} le ${day} à ${time} "
            "(état : ${state}).",
            mapping={
                "action": transition.label,
                "title": node.title,
                "done": self.done_label(last.transition),
                "actor": last.actor_name,
                "day": at.strftime("%d/%m/%Y"),
                "time": at.strftime("%H:%M"),
                "state": self.state_label(node.state),
            },
        )

    def fire(self, node, name, comment="", system=False):
        transition = TRANSITIONS.get(name)
        if transition is None or not isinstance(node, Resource):
            raise WorkflowError(_("Action inconnue."))
        if node.state not in transition.source:
            raise WorkflowError(
                _(
                    "« ${action} » n'est pas possible : la ressource est « ${state} ».",
                    mapping={"action": transition.label, "state": self.state_label(node.state)},
                )
            )
        if not system and not self.request.has_permission(transition.permission, node):
            raise WorkflowError(
                _("Vous ne pouvez pas « ${action} » cette ressource.", mapping={"action": transition.action})
            )
        comment = (comment or "").strip()
        if transition.needs_comment and not comment:
            raise WorkflowError(_("Indiquez le motif : il sera transmis à l'auteur."))
        if name == "publish":
            content_type = type_of(self.request.registry, node)
            problems = (
                content_type.publish_check(self.request, node) if content_type and content_type.publish_check else []
            )
            if problems:
                raise WorkflowError(_("Publication impossible : ${problems}.", mapping={"problems": problems}))
        user = None if system else self.request.user
        actor_name = user.display_name if user else SYSTEM_ACTOR
        from_state = node.state
        node.state = transition.target
        self.dbsession.add(
            WorkflowEntry(
                node_id=node.id,
                transition=name,
                from_state=from_state,
                to_state=transition.target,
                actor_id=user.id if user else None,
                actor_name=actor_name,
                comment=comment,
            )
        )
        self.dbsession.flush()
        audit.record(
            self.dbsession,
            "transition",
            node,
            {"transition": name, "from": from_state, "to": transition.target, "comment": comment},
        )
        self._notify(name, node, user, actor_name, comment)
        return transition

    def _notify(self, name, node, user, actor_name, comment):
        if name == "submit":
            lineage = [n.id for n in node.lineage()]
            recipients = LocalRoleService(self.dbsession).users_with_role(lineage, Role.REVIEWER)
        elif name in ("publish", "send_back") and node.creator_id:
            author = self.dbsession.get(User, node.creator_id)
            recipients = [author] if author is not None and author.active else []
        else:
            return
        recipients = [r for r in recipients if user is None or r.id != user.id]
        if recipients:
            get_mailer(self.request).send(message_for(self.request, name, node, recipients, actor_name, comment))

    def set_diffusion(self, node, data):
        """Restriction, publication dates, archive visibility, from a form."""
        for key in ("restricted", "public_when_archived", "effective", "expires"):
            if key in data:
                value = data[key]
                setattr(node, key, None if value is colander.null else value)

    def changes_since(self, node, version):
        """Edits saved after ``version``: [(audit entry, {field: [old, new]})]."""
        entries = self.dbsession.scalars(
            select(AuditEntry)
            .where(AuditEntry.node_id == node.id, AuditEntry.action.in_(("edit", "rename", "move")))
            .order_by(AuditEntry.created, AuditEntry.id)
        )
        return [(e, e.details.get("changes", {})) for e in entries if (e.details or {}).get("version", 0) > version]

    def history(self, node):
        return list(
            self.dbsession.scalars(
                select(WorkflowEntry)
                .where(WorkflowEntry.node_id == node.id)
                .order_by(WorkflowEntry.created, WorkflowEntry.id)
            )
        )

    def last_entries(self, node_ids, transition=None):
        """{node id: its latest history entry (of that transition)}."""
        if not node_ids:
            return {}
        query = select(WorkflowEntry).where(WorkflowEntry.node_id.in_(node_ids))
        if transition:
            query = query.where(WorkflowEntry.transition == transition)
        latest = {}
        for entry in self.dbsession.scalars(query.order_by(WorkflowEntry.created, WorkflowEntry.id)):
            latest[entry.node_id] = entry
        return latest

    def review_queue(self):
        """Pending resources this user may publish, oldest submission first."""
        pending = list(self.dbsession.scalars(select(Resource).where(Resource.state == PENDING)))
        pending = [n for n in pending if self.request.has_permission("publish", n)]
        submitted = self.last_entries([n.id for n in pending], "submit")
        rows = [(n, submitted.get(n.id)) for n in pending]
        return sorted(rows, key=lambda row: aware(row[1].created) if row[1] else aware(row[0].created))

    def authored_by(self, user):
        """The user's resources, with the latest transition of each (the reason
        of a send-back is in it)."""
        nodes = list(
            self.dbsession.scalars(
                select(Resource).where(Resource.creator_id == user.id).order_by(Resource.modified.desc())
            )
        )
        latest = self.last_entries([n.id for n in nodes])
        return [(n, latest.get(n.id)) for n in nodes]

    def due(self, at=None):
        """Fire what the calendar asks for: published resources past their
        unpublication date are archived, as a reviewer would."""
        at = at or now()
        done = []
        for node in self.dbsession.scalars(
            select(Resource).where(Resource.state == PUBLISHED, Resource.expires.is_not(None))
        ):
            if aware(node.expires) <= at:
                self.fire(
                    node,
                    "archive",
                    comment=f"Date de dépublication atteinte ({aware(node.expires):%d/%m/%Y %H:%M}).",
                    system=True,
                )
                done.append(node)
        return done
