"""The poster forms: the shared metadata plus format, orientation, print run and
the guide it summarises; and the generator's form, on an index."""

import colander
import deform

from bassin_cms.content.schemas import resource_schema
from bassin_cms.forms import CSRFSchema
from bassin_cms.i18n import _

from .models import ORIENTATIONS, PAPER_SIZES_MM

PAPERS = [(p, f"{p} ({w} × {h} mm)") for p, (w, h) in PAPER_SIZES_MM.items()] + [("custom", _("Format personnalisé"))]


def _size_rule(node, value):
    if value.get("paper") == "custom" and not (value.get("width_mm") and value.get("height_mm")):
        message = _("Pour un format personnalisé, indiquez la largeur et la hauteur en millimètres.")
        exc = colander.Invalid(node, message)
        exc["width_mm"] = message
        raise exc


def paper_node():
    return colander.SchemaNode(
        colander.String(),
        name="paper",
        title=_("Format"),
        default="A1",
        widget=deform.widget.SelectWidget(values=PAPERS),
        validator=colander.OneOf([p for p, _ in PAPERS]),
    )


def orientation_node():
    return colander.SchemaNode(
        colander.String(),
        name="orientation",
        title=_("Orientation"),
        default="portrait",
        widget=deform.widget.RadioChoiceWidget(values=list(ORIENTATIONS.items())),
        validator=colander.OneOf(list(ORIENTATIONS)),
    )


def _millimetres(name, title):
    return colander.SchemaNode(
        colander.Integer(),
        name=name,
        title=title,
        missing=None,
        validator=colander.Range(100, 5000, _("Entre 100 et 5 000 mm."), _("Entre 100 et 5 000 mm.")),
    )


def format_nodes():
    return [
        paper_node(),
        _millimetres("width_mm", _("Largeur (mm, format personnalisé)")),
        _millimetres("height_mm", _("Hauteur (mm, format personnalisé)")),
        orientation_node(),
    ]


@colander.deferred
def _guides_widget(node, kw):
    request = kw["request"]
    choices = request.content_service.titles_of_kind("guide")
    # Only the guides this person may open: a local editor sees no draft
    # title from a folder that is not theirs (finding 14 of the review).
    nodes = {n.id: n for n in request.content_service.resources([i for i, _t in choices])}
    choices = [(i, t) for i, t in choices if i in nodes and request.has_permission("view", nodes[i])]
    return deform.widget.SelectWidget(values=[("", _("— aucun —"))] + [(str(i), t) for i, t in choices])


def poster_schema(request, node=None):
    schema = resource_schema(
        request,
        node,
        extra=format_nodes()
        + [
            colander.SchemaNode(
                colander.Integer(),
                name="print_run",
                title=_("Tirage (exemplaires imprimés)"),
                missing=None,
                validator=colander.Range(0, 10_000_000),
            ),
            colander.SchemaNode(
                colander.Integer(),
                name="summarises",
                title=_("Guide dont l'affiche est la synthèse"),
                missing=None,
                widget=_guides_widget,
            ),
        ],
    )
    schema.validator = _both(schema.validator, _size_rule)
    return schema


def _both(first, second):
    def check(node, value):
        first(node, value)
        second(node, value)

    return check


def apply_poster(request, poster, appstruct):
    for key in ("paper", "width_mm", "height_mm", "orientation", "print_run"):
        setattr(poster, key, appstruct.get(key))
    summarised = request.content_service.get(appstruct["summarises"]) if appstruct.get("summarises") else None
    poster.summarises = summarised
    if poster.kind is None:
        poster.kind = request.vocabulary_service.by_code("kind", "poster")


def poster_appstruct(request, poster):
    return {
        "paper": poster.paper,
        "width_mm": poster.width_mm or colander.null,
        "height_mm": poster.height_mm or colander.null,
        "orientation": poster.orientation,
        "print_run": poster.print_run if poster.print_run is not None else colander.null,
        "summarises": poster.summarises_id or colander.null,
    }


@colander.deferred
def _territories_widget(node, kw):
    return deform.widget.SelectWidget(
        values=[("", _("— choisir —"))] + kw["request"].vocabulary_service.choices("territory")
    )


@colander.deferred
def _folders_widget(node, kw):
    request = kw["request"]
    return deform.widget.SelectWidget(
        values=[
            (str(folder.id), "\u00a0\u00a0" * depth + (folder.title or _("Accueil")))
            for folder, depth in request.content_service.folders()
            if request.has_permission("add", folder)
        ]
    )


class GeneratePosterSchema(CSRFSchema):
    territory = colander.SchemaNode(
        colander.Integer(),
        title=_("Territoire"),
        description=_(
            "Un EPCI (ses communes comprises) ou une commune : l'affiche "
            "reprend les entrées de l'index qui le mentionnent."
        ),
        widget=_territories_widget,
    )
    title = colander.SchemaNode(
        colander.String(),
        title=_("Titre de l'affiche"),
        missing="",
        description=_("Laisser vide : « <titre de l'index> — <territoire> »."),
        validator=colander.Length(max=300),
    )
    paper = paper_node()
    orientation = orientation_node()
    folder = colander.SchemaNode(colander.Integer(), title=_("Dossier où créer l'affiche"), widget=_folders_widget)
