"""The poster page and the generator (on an index: @@affiche)."""

import deform
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from bassin_cms.content.views import kind_macro, resource_view
from bassin_cms.forms import handle_form_submission, make_form
from bassin_cms.i18n import _, flash
from bassin_cms.indexes.models import IndexResource

from .models import PosterResource
from .schemas import GeneratePosterSchema
from .services import PosterError


@view_config(context=PosterResource, renderer="resource.pt", permission="view", conditional=True)
def poster_view(context, request):
    page = resource_view(context, request)
    main = request.file_service.main_file(context) if page["can_view_full"] else None
    linked = [n for n in (context.summarises, context.source_index) if n is not None]
    page.update(
        kind_macro=kind_macro("poster_content.pt"),
        poster=context,
        has_preview=main is not None and main.blob.has_preview,
        # A link only to what the visitor may open; editors are told what is not public.
        visible_links={n.id: request.has_permission("view", n) for n in linked},
    )
    return page


@view_config(context=IndexResource, name="affiche", permission="edit", renderer="form.pt")
def generate_poster_view(context, request):
    form = make_form(request, GeneratePosterSchema(), buttons=(deform.Button("generate", _("Générer l'affiche")),))

    def generate(appstruct):
        territory = request.vocabulary_service.get(appstruct["territory"])
        folder = request.content_service.get(appstruct["folder"])
        if territory is None or territory.vocabulary != "territory":
            raise PosterError(_("Choisissez un territoire de la liste."))
        if folder is None or not request.has_permission("add", folder):
            raise PosterError(_("Vous ne pouvez pas créer de contenu dans ce dossier."))
        poster, count = request.poster_service.generate(
            context,
            territory,
            folder,
            title=appstruct["title"],
            paper=appstruct["paper"],
            orientation=appstruct["orientation"],
        )
        flash(
            request,
            _(
                "Affiche créée en brouillon avec ${count} entrée(s) : vérifiez-la puis soumettez-la à validation.",
                mapping={"count": count},
            ),
            "success",
        )
        return HTTPSeeOther(request.resource_url(poster))

    if "generate" in request.POST:
        response, html = handle_form_submission(request, form, generate, field_name="territory")
        if response is not None:
            return response
    else:
        html = form.render({"folder": context.parent_id, "paper": "A1", "orientation": "portrait"})
    return {
        "page_title": _("Générer une affiche depuis « ${title} »", mapping={"title": context.title}),
        "form": html,
        "context": context,
        "cancel_url": request.resource_url(context),
        "intro": _(
            "L'affiche reprend, sous forme de cartes, les entrées de l'index qui nomment le territoire "
            "choisi (ou l'une de ses communes), avec les crédits et un QR code vers sa page. "
            "Elle est créée en brouillon, à soumettre à validation."
        ),
    }
