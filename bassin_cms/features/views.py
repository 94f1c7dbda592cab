"""The feature page (contents and articles), the articles' editor and the PDF
of the dossier."""

import colander
import deform
from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config

from bassin_cms.content.text import format_partial_date, slugify
from bassin_cms.content.views import kind_macro, resource_view
from bassin_cms.forms import fail, handle_form_submission, make_form
from bassin_cms.i18n import _, flash
from bassin_cms.pdf.booklet import booklet
from bassin_cms.pdf.views import STORED, cached_pdf

from .models import FeatureResource
from .schemas import article_appstruct, article_schema, with_blank_verbatims


@view_config(context=FeatureResource, renderer="resource.pt", permission="view", conditional=True)
def feature_view(context, request):
    page = resource_view(context, request)
    page.update(
        kind_macro=kind_macro("feature_content.pt"),
        feature=context,
        uncredited=context.uncredited_images() if request.has_permission("edit", context) else [],
    )
    return page


@view_config(context=FeatureResource, name="articles", permission="edit", renderer="feature_articles.pt")
def articles_view(context, request):
    if request.method == "POST":
        article = request.feature_service.article(context, request.POST.get("article_id"))
        if article is None:
            raise HTTPNotFound()
        if "up" in request.POST or "down" in request.POST:
            request.feature_service.move(context, article, -1 if "up" in request.POST else 1)
        elif "delete" in request.POST:
            request.feature_service.delete(context, article)
            flash(request, _("Article « ${title} » retiré du dossier.", mapping={"title": article.title}), "success")
        return HTTPSeeOther(request.resource_url(context, "@@articles"))
    # Removing an article loses its text: the "Retirer" link asks first.
    confirm = request.feature_service.article(context, request.GET.get("retirer"))
    return {
        "context": context,
        "confirm": confirm,
        "page_title": _("Articles du dossier « ${title} »", mapping={"title": context.title}),
    }


@view_config(context=FeatureResource, name="article", permission="edit", renderer="form.pt")
def article_form_view(context, request):
    service = request.feature_service
    article = service.article(context, request.subpath[0]) if request.subpath else None
    if request.subpath and article is None:
        raise HTTPNotFound()
    form = make_form(
        request,
        article_schema(request, len(article.images) if article else 0),
        buttons=(deform.Button("save", _("Enregistrer l'article")),),
    )

    def discard_upload(appstruct):
        upload = (appstruct.get("new_image") or {}).get("image")
        if upload:
            form["new_image"]["image"].widget.tmpstore.discard(upload.get("uid"))

    def save(appstruct):
        saved = service.save_article(context, article, appstruct)
        discard_upload(appstruct)
        missing = [i for i in saved.images if not i.credit.strip()]
        flash(
            request,
            _(
                "Article « ${title} » enregistré. ${count} image(s) sans crédit : le dossier ne "
                "pourra pas être publié ainsi.",
                mapping={"title": saved.title, "count": len(missing)},
            )
            if missing
            else _("Article « ${title} » enregistré.", mapping={"title": saved.title}),
            "success",
        )
        return HTTPSeeOther(request.resource_url(context) + "#" + saved.anchor)

    def refused(refusal, appstruct):  # a refused picture is not kept: another one is chosen
        discard_upload(appstruct)
        appstruct["new_image"] = dict(appstruct["new_image"], image=colander.null)
        return fail(form, refusal.message, with_blank_verbatims(appstruct), "new_image.image")

    if "save" in request.POST:
        response, html = handle_form_submission(request, form, save, on_failure=refused)
        if response is not None:
            return response
    else:
        html = form.render(with_blank_verbatims(article_appstruct(article) if article else {}))
    title = (
        _("Modifier l'article « ${title} »", mapping={"title": article.title})
        if article
        else _("Nouvel article de « ${title} »", mapping={"title": context.title})
    )
    return {
        "page_title": title,
        "form": html,
        "context": context,
        "cancel_url": request.resource_url(context, "@@articles"),
        "intro": _("Un crédit est obligatoire pour chaque image avant la publication du dossier."),
    }


def feature_pdf_data(request, feature):
    storage = request.file_service
    roles = {}
    for agent in feature.contributors:
        roles.setdefault(agent.role or "contribution", []).append(agent.name)
    return {
        "title": feature.title,
        "kind": "Dossier de revue",
        "section_break": True,
        "subtitle": " — ".join(
            x
            for x in (
                feature.issue_label(),
                format_partial_date(feature.date_year, feature.date_month, feature.date_day),
            )
            if x
        ),
        "facts": [x for x in (feature.publisher,) if x]
        + [f"{role} : {', '.join(names)}" for role, names in roles.items()],
        "summary": feature.summary or "",
        "notice": feature.rights or "",
        "permalink": request.route_url("shortlink", shortid=feature.shortid, rest=()),
        "sections": [
            {
                "title": a.title,
                "byline": a.authors,
                "summary": a.summary,
                "html": a.html(),
                "quotes": [{"text": v.quotation, "speaker": v.attribution()} for v in a.verbatims],
                # The path names the picture's sha256: a new picture is a new PDF.
                "images": [
                    {"path": STORED + storage.key(i.file), "caption": i.caption, "credit": i.credit} for i in a.images
                ],
            }
            for a in feature.articles
        ],
    }


@view_config(context=FeatureResource, name="dossier.pdf", permission="view_full")
def feature_pdf_view(context, request):
    return cached_pdf(
        request, context, "features", feature_pdf_data(request, context), booklet, f"{slugify(context.title, 60)}.pdf"
    )
