"""Transitions, the review queue, the author's page, the audit log."""

import datetime as dt

import colander
import deform
from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config
from sqlalchemy import select

from bassin_cms.content.models import Resource
from bassin_cms.forms import CSRFSchema, handle_form_submission, make_form, parse_day
from bassin_cms.i18n import _, flash
from bassin_cms.names import Permission
from bassin_cms.params import page_param

from . import audit
from .models import AuditEntry
from .security import TRANSITIONS

AUDIT_PAGE = 100


class TransitionSchema(CSRFSchema):
    comment = colander.SchemaNode(
        colander.String(),
        title=_("Commentaire"),
        missing="",
        widget=deform.widget.TextAreaWidget(rows=5),
    )


@view_config(context=Resource, name="transition", permission="view", renderer="form.pt")
def transition_view(context, request):
    name = request.subpath[0] if request.subpath else request.POST.get("transition")
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise HTTPNotFound()
    if transition not in request.workflow.available(context):
        overtaken = request.workflow.overtaken(context, transition)
        if overtaken is None:
            raise HTTPForbidden()
        # Someone else acted first (two reviewers at once): say who and when.
        request.response.status = 409
        return {
            "page_title": transition.label,
            "form": "",
            "context": context,
            "cancel_url": request.resource_url(context),
            "intro": overtaken,
        }
    # clone(): the class's child nodes are shared between instances.
    schema = TransitionSchema().clone()
    if transition.needs_comment:
        schema["comment"].title = _("Motif (transmis à l'auteur)")
        schema["comment"].missing = colander.required
    form = make_form(request, schema, buttons=(deform.Button("confirm", transition.label),), formid="transition")

    def fire(appstruct):
        request.workflow.fire(context, name, appstruct["comment"])
        flash(
            request,
            _(
                "Le contenu « ${title} » a été ${done}. État : ${state}.",
                mapping={
                    "title": context.title,
                    "done": transition.done,
                    "state": request.workflow.state_label(context.state),
                },
            ),
            "success",
        )
        return HTTPSeeOther(request.resource_url(context))

    if request.method == "POST" and "confirm" in request.POST:
        response, html = handle_form_submission(request, form, fire, field_name="comment")
        if response is not None:
            return response
    else:
        html = form.render()
    return {
        "page_title": _("${action} : « ${title} »", mapping={"action": transition.label, "title": context.title}),
        "form": html,
        "context": context,
        "cancel_url": request.resource_url(context),
        "intro": _("La personne concernée est prévenue par courriel.")
        if name in ("submit", "publish", "send_back")
        else None,
    }


@view_config(route_name="review", renderer="review.pt", permission="review")
def review_view(request):
    return {"rows": request.workflow.review_queue()}


@view_config(route_name="my_content", renderer="my_content.pt", permission=Permission.OWN_CONTENT)
def my_content_view(request):
    return {"rows": request.workflow.authored_by(request.user)}


@view_config(route_name="admin_audit", renderer="admin/audit.pt", permission="manage")
def audit_view(request):
    params = request.params
    query = select(AuditEntry)
    filters = {k: (params.get(k) or "").strip() for k in ("action", "actor", "path", "since", "until")}
    if filters["action"]:
        query = query.where(AuditEntry.action == filters["action"])
    if filters["actor"]:
        query = query.where(AuditEntry.actor_name.ilike(f"%{filters['actor']}%"))
    if filters["path"]:
        query = query.where(
            AuditEntry.path.ilike(f"%{filters['path']}%") | AuditEntry.title.ilike(f"%{filters['path']}%")
        )
    since, until = parse_day(filters["since"]), parse_day(filters["until"])
    if since:
        query = query.where(AuditEntry.created >= dt.datetime.combine(since, dt.time(), dt.UTC))
    if until:
        query = query.where(AuditEntry.created < dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), dt.UTC))
    page = page_param(params.get("page"))
    entries = list(
        request.dbsession.scalars(
            query.order_by(AuditEntry.created.desc(), AuditEntry.id.desc())
            .offset((page - 1) * AUDIT_PAGE)
            .limit(AUDIT_PAGE + 1)
        )
    )
    return {
        "entries": entries[:AUDIT_PAGE],
        "has_next": len(entries) > AUDIT_PAGE,
        "page": page,
        "filters": filters,
        "actions": audit.ACTIONS,
        "describe": audit.describe,
        "bad_dates": bool((filters["since"] and not since) or (filters["until"] and not until)),
    }
