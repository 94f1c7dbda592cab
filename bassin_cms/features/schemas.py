"""The feature forms: the shared metadata plus the review's references; an
article with its verbatims, its images and one new image. Sequences have a
fixed number of items (existing ones plus blanks) so that no form needs
JavaScript: blank items are ignored, emptying one removes it."""

import colander
import deform

from bassin_cms.content.schemas import resource_schema, upload_node
from bassin_cms.forms import CSRFSchema
from bassin_cms.i18n import _

BLANK_VERBATIMS = 2
CONTRIBUTOR_ROLES = "compilation, rédaction, verbatims, relecture, choix iconographique, légendes, crédits"


def _text(name, title, description="", rows=0, max_length=None, **kw):
    return colander.SchemaNode(
        colander.String(),
        name=name,
        title=title,
        description=description,
        missing="",
        widget=deform.widget.TextAreaWidget(rows=rows) if rows else deform.widget.TextInputWidget(),
        validator=colander.Length(max=max_length) if max_length else None,
        **kw,
    )


def feature_schema(request, node=None):
    schema = resource_schema(
        request,
        node,
        extra=[
            _text("review_title", _("Revue"), _("Par exemple : D'A — D'Architectures."), max_length=300),
            _text("issue_number", _("Numéro"), _("Par exemple : 312."), max_length=50),
            _text("pages", _("Pages"), _("Par exemple : 54-105."), max_length=50),
        ],
    )
    schema["contributors"].description = _(
        "Un par ligne, avec son rôle entre parenthèses (${roles}) : Mission Bassin Minier (compilation, rédaction).",
        mapping={"roles": CONTRIBUTOR_ROLES},
    )
    schema["restricted"].description = _(
        "Quand les droits de la revue réservent le texte intégral : le public voit la notice et les résumés "
        "des articles, les partenaires lisent tout."
    )
    return schema


def apply_feature(request, feature, appstruct):
    for key in ("review_title", "issue_number", "pages"):
        setattr(feature, key, (appstruct.get(key) or "").strip())
    if feature.kind is None:
        feature.kind = request.vocabulary_service.by_code("kind", "dossier-revue")


def feature_appstruct(request, feature):
    return {key: getattr(feature, key) or "" for key in ("review_title", "issue_number", "pages")}


def publish_check(request, feature):
    """A dossier is published with every image credited."""
    return [
        _(
            "l'image « ${image} » de l'article « ${article} » n'a pas de crédit",
            mapping={"image": image.caption or image.file.filename, "article": article.title},
        )
        for article, image in feature.uncredited_images()
    ]


def _verbatim_rule(node, value):
    if value.get("quotation") and not value.get("speaker"):
        raise colander.Invalid(node["speaker"], _("Indiquez qui parle."))
    if value.get("speaker") and not value.get("quotation"):
        raise colander.Invalid(node["quotation"], _("Indiquez la citation (ou effacez le nom)."))


def _image_text_rule(node, value):
    if value.get("caption") or value.get("alt"):
        return
    if "image" in value and not value.get("image"):
        return  # no new image: nothing to describe
    if value.get("remove"):
        return
    raise colander.Invalid(node["caption"], _("Une image a besoin d'une légende (ou d'un texte de remplacement)."))


def _image_fields():
    return [
        _text("caption", _("Légende"), rows=2),
        _text("credit", _("Crédit"), _("Obligatoire pour publier le dossier : © Auteur / Organisme."), max_length=500),
        _text(
            "alt", _("Texte de remplacement"), _("Ce que montre l'image, si la légende ne le dit pas."), max_length=500
        ),
    ]


def article_schema(request, existing_images=0):
    schema = CSRFSchema()
    schema.add(
        colander.SchemaNode(
            colander.String(), name="title", title=_("Titre de l'article"), validator=colander.Length(1, 300)
        )
    )
    schema.add(
        _text(
            "authors", _("Auteurs"), _("Par exemple : Mission Bassin Minier ; Atelier Philippe Prost."), max_length=500
        )
    )
    schema.add(
        _text("summary", _("Résumé"), _("Visible de tous, même quand le texte est réservé aux partenaires."), rows=3)
    )
    schema.add(_text("body", _("Texte"), _("Paragraphes séparés par une ligne vide, ou HTML simple."), rows=14))
    verbatim = colander.SchemaNode(
        colander.Mapping(),
        name="verbatim",
        title=_("Verbatim"),
        validator=_verbatim_rule,
        widget=deform.widget.MappingWidget(template="fieldset_mapping"),
    )
    verbatim.add(_text("quotation", _("Citation"), rows=3))
    verbatim.add(_text("speaker", _("Qui parle"), max_length=300))
    verbatim.add(_text("role", _("Sa fonction"), max_length=300))
    schema.add(
        colander.SchemaNode(
            colander.Sequence(),
            verbatim,
            name="verbatims",
            title=_("Verbatims"),
            missing=[],
            description=_("Laissez vides les blocs inutiles ; effacez un verbatim pour le retirer."),
            widget=deform.widget.SequenceWidget(template="static_sequence", item_template="static_sequence_item"),
        )
    )
    if existing_images:
        image = colander.SchemaNode(
            colander.Mapping(),
            name="image",
            title=_("Image"),
            validator=_image_text_rule,
            widget=deform.widget.MappingWidget(template="fieldset_mapping"),
        )
        image.add(colander.SchemaNode(colander.Integer(), name="image_id", widget=deform.widget.HiddenWidget()))
        for child in _image_fields():
            image.add(child)
        image.add(colander.SchemaNode(colander.Boolean(), name="remove", title=_("Retirer cette image"), missing=False))
        schema.add(
            colander.SchemaNode(
                colander.Sequence(),
                image,
                name="images",
                title=_("Images de l'article"),
                missing=[],
                widget=deform.widget.SequenceWidget(template="static_sequence", item_template="static_sequence_item"),
            )
        )
    new_image = colander.SchemaNode(
        colander.Mapping(),
        name="new_image",
        title=_("Ajouter une image"),
        validator=_image_text_rule,
        widget=deform.widget.MappingWidget(template="fieldset_mapping"),
    )
    new_image.add(
        upload_node(
            "image",
            _("Image (JPEG ou PNG)"),
            _("Elle apparaît dans l'article et dans le PDF du dossier, avec sa légende et son crédit."),
        )
    )
    for child in _image_fields():
        new_image.add(child)
    schema.add(new_image)
    return schema


def article_appstruct(article):
    return {
        "title": article.title,
        "authors": article.authors,
        "summary": article.summary,
        "body": article.body,
        "verbatims": [{"quotation": v.quotation, "speaker": v.speaker, "role": v.role} for v in article.verbatims],
        "images": [
            {"image_id": i.id, "caption": i.caption, "credit": i.credit, "alt": i.alt, "remove": False}
            for i in article.images
        ],
    }


def with_blank_verbatims(appstruct):
    """What the form shows: the verbatims typed so far plus blank ones to fill."""
    kept = [v for v in appstruct.get("verbatims") or [] if v.get("quotation") or v.get("speaker")]
    return dict(appstruct, verbatims=kept + [{"quotation": "", "speaker": "", "role": ""}] * BLANK_VERBATIMS)
