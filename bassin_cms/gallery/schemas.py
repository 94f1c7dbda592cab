"""The gallery's forms: an image (the shared metadata plus caption, credit,
text alternative and usage terms), one row of the batch table, a journalist's
access request, a password, a time-limited link."""

import datetime as dt

import colander
import deform

from bassin_cms.auth.services import paris_today
from bassin_cms.content.schemas import PartialDate, resource_schema
from bassin_cms.forms import CSRFSchema, single_line
from bassin_cms.i18n import _
from bassin_cms.params import MAX_ID, id_param

from .services import ACCESS_DAYS, LINK_DAYS, MAX_LINK_DAYS


def _text(name, title, description="", max_length=500, rows=None):
    return colander.SchemaNode(
        colander.String(),
        name=name,
        title=title,
        missing="",
        description=description,
        validator=colander.Length(max=max_length),
        widget=deform.widget.TextAreaWidget(rows=rows) if rows else deform.widget.TextInputWidget(),
    )


def image_nodes():
    return [
        _text(
            "caption", _("Légende"), _("Ce que montre l'image, où et quand : elle accompagne sa publication."), 2000, 3
        ),
        _text(
            "credit",
            _("Crédit"),
            _("Obligatoire pour publier : © Auteur / Organisme, tel qu'il doit être imprimé."),
        ),
        _text(
            "alt_text",
            _("Texte alternatif"),
            _("Ce que l'image montre, pour qui ne la voit pas (lu par les lecteurs d'écran) ; distinct de la légende."),
        ),
        _text(
            "usage_terms", _("Conditions d'utilisation"), _("Par exemple : usage presse, crédit obligatoire."), 2000, 2
        ),
        colander.SchemaNode(
            colander.Date(),
            name="usage_ends",
            title=_("Fin des droits d'utilisation"),
            missing=None,
            description=_("Dernier jour d'utilisation ; après, l'image n'est plus téléchargeable (AAAA-MM-JJ)."),
        ),
    ]


def image_schema(request, node=None):
    schema = resource_schema(request, node, extra=image_nodes())
    # The main file is the photograph itself, not a PDF.
    schema["main_file"].title = _("Remplacer la photographie") if node is not None else _("Photographie")
    schema["main_file"].description = _(
        "En pleine résolution (JPEG, PNG, WebP ou TIFF) : c'est l'original que téléchargent les journalistes."
    )
    return schema


IMAGE_FIELDS = ("caption", "credit", "alt_text", "usage_terms", "usage_ends")


def apply_image(request, image, appstruct):
    for key in IMAGE_FIELDS:
        if key in appstruct:
            value = appstruct[key]
            setattr(image, key, value.strip() if isinstance(value, str) else value)
    if image.kind is None:
        image.kind = request.vocabulary_service.by_code("kind", "image")


def image_appstruct(request, image):
    out = {key: getattr(image, key) or "" for key in IMAGE_FIELDS if key != "usage_ends"}
    out["usage_ends"] = image.usage_ends or colander.null
    return out


class ImageRowSchema(colander.MappingSchema):
    """One image in the batch table (what a photo desk fills for each picture)."""

    title = colander.SchemaNode(colander.String(), title=_("Titre"), validator=single_line(1, 500))
    caption = colander.SchemaNode(
        colander.String(), title=_("Légende"), missing="", validator=colander.Length(max=2000)
    )
    credit = colander.SchemaNode(colander.String(), title=_("Crédit"), missing="", validator=colander.Length(max=500))
    alt_text = colander.SchemaNode(
        colander.String(), title=_("Texte alternatif"), missing="", validator=colander.Length(max=500)
    )
    creators = colander.SchemaNode(colander.String(), title=_("Auteur"), missing="", validator=colander.Length(max=300))
    date = colander.SchemaNode(PartialDate(), title=_("Date"), missing=None)
    territory = colander.SchemaNode(
        colander.Integer(), title=_("Commune ou territoire"), missing=None, validator=colander.Range(1, MAX_ID)
    )
    theme = colander.SchemaNode(colander.Integer(), title=_("Thème"), missing=None, validator=colander.Range(1, MAX_ID))
    usage_terms = colander.SchemaNode(
        colander.String(), title=_("Conditions d'utilisation"), missing="", validator=colander.Length(max=2000)
    )
    usage_ends = colander.SchemaNode(colander.Date(), title=_("Fin des droits"), missing=None)


ROW_FIELDS = tuple(node.name for node in ImageRowSchema().children)


class AccessRequestSchema(CSRFSchema):
    name = colander.SchemaNode(colander.String(), title=_("Nom et prénom"), validator=single_line(2, 200))
    outlet = colander.SchemaNode(colander.String(), title=_("Média ou rédaction"), validator=single_line(2, 300))
    email = colander.SchemaNode(
        colander.String(),
        title=_("Adresse e-mail professionnelle"),
        validator=colander.All(colander.Email(_("Adresse e-mail invalide.")), colander.Length(max=320)),
    )
    credentials = colander.SchemaNode(
        colander.String(),
        title=_("Carte de presse ou référence de la rédaction"),
        description=_("Numéro de carte de presse, ou nom et adresse de la personne qui vous a commandé le sujet."),
        validator=single_line(3, 300),
    )
    purpose = colander.SchemaNode(
        colander.String(),
        title=_("Objet de la demande"),
        description=_("Le sujet préparé, le support et l'échéance."),
        widget=deform.widget.TextAreaWidget(rows=4),
        validator=colander.Length(5, 3000),
    )


class PasswordSchema(CSRFSchema):
    password = colander.SchemaNode(
        colander.String(),
        title=_("Mot de passe"),
        widget=deform.widget.CheckedPasswordWidget(),
        description=_("Au moins 10 caractères."),
    )


class AcceptSchema(CSRFSchema):
    until = colander.SchemaNode(colander.Date(), title=_("Accès jusqu'au"))


def access_end_default():
    return paris_today() + dt.timedelta(days=ACCESS_DAYS)


@colander.deferred
def _images_widget(node, kw):
    images = kw["request"].gallery_service.visible_images()
    return deform.widget.CheckboxChoiceWidget(values=[(str(i.id), i.title) for i in images])


class LinkSchema(CSRFSchema):
    recipient = colander.SchemaNode(
        colander.String(), title=_("Destinataire (nom et média)"), validator=single_line(2, 300)
    )
    email = colander.SchemaNode(
        colander.String(),
        title=_("Son adresse e-mail"),
        missing="",
        validator=colander.All(colander.Email(_("Adresse e-mail invalide.")), colander.Length(max=320)),
    )
    days = colander.SchemaNode(
        colander.Integer(),
        title=_("Validité (jours)"),
        default=LINK_DAYS,
        validator=colander.Range(1, MAX_LINK_DAYS, _("De 1 à ${max} jours."), _("De 1 à ${max} jours.")),
    )
    images = colander.SchemaNode(
        colander.Set(),
        title=_("Images"),
        description=_("Aucune cochée : toute la photothèque publiée."),
        missing=(),
        widget=_images_widget,
        preparer=lambda values: [i for i in map(id_param, values) if i] if values else [],
    )
