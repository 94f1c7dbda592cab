"""The guide forms: the shared metadata plus chapters, cited resources and
contacts; an edition; a contact body."""

import colander
import deform

from bassin_cms.content.schemas import PartialDate, resource_schema, upload_node, with_upload_limit
from bassin_cms.forms import Checkboxes, CSRFSchema, web_address
from bassin_cms.i18n import _

from .services import GuideRuleError, format_chapters, parse_chapters


def _chapters_validator(node, value):
    try:
        parse_chapters(value)
    except GuideRuleError as exc:
        raise colander.Invalid(node, exc.message) from None


def _links_validator(node, value):
    try:
        node.bindings["request"].guide_service.parse_links(value)
    except GuideRuleError as exc:
        raise colander.Invalid(node, exc.message) from None


@colander.deferred
def _contacts_widget(node, kw):
    contacts = kw["request"].guide_service.contacts()
    return Checkboxes(values=[(str(c.id), c.name) for c in contacts])


def guide_schema(request, node=None):
    return resource_schema(
        request,
        node,
        extra=[
            colander.SchemaNode(
                colander.String(),
                name="chapters",
                title=_("Chapitres"),
                missing="",
                description=_(
                    "Chaque chapitre commence par une ligne « # Titre du chapitre » ; le texte qui suit "
                    "(paragraphes séparés par une ligne vide) est son contenu. La table des matières et "
                    "les ancres sont faites à partir des titres."
                ),
                widget=deform.widget.TextAreaWidget(rows=14),
                validator=_chapters_validator,
            ),
            colander.SchemaNode(
                colander.String(),
                name="related",
                title=_("Ressources du centre citées"),
                missing="",
                description=_(
                    "Une par ligne : son lien permanent (…/r/abc123) ou son adresse sur ce site, puis, "
                    "si besoin, « — » et une note. Une ressource supprimée ou retirée de la publication "
                    "n'est plus montrée aux visiteurs et vous est signalée."
                ),
                widget=deform.widget.TextAreaWidget(rows=5),
                validator=_links_validator,
            ),
            colander.SchemaNode(
                colander.Set(),
                name="contacts",
                title=_("Organismes à contacter"),
                missing=(),
                description=_("Gérés une fois pour tous les guides (Administration › Organismes à contacter)."),
                widget=_contacts_widget,
                preparer=lambda values: (
                    [int(v) for v in values if str(v).isascii() and str(v).isdigit()] if values else []
                ),
            ),
        ],
    )


def apply_guide(request, guide, appstruct):
    service = request.guide_service
    service.set_chapters(guide, appstruct.get("chapters", ""))
    service.set_links(guide, appstruct.get("related", ""))
    service.set_contacts(guide, appstruct.get("contacts", ()))
    if guide.kind is None:
        guide.kind = request.vocabulary_service.by_code("kind", "guide")


def guide_appstruct(request, guide):
    return {
        "chapters": format_chapters(guide),
        "related": request.guide_service.format_links(guide),
        "contacts": [c.id for c in guide.contacts],
    }


class EditionSchema(CSRFSchema):
    label = colander.SchemaNode(
        colander.String(),
        title=_("Intitulé de l'édition"),
        description=_("Par exemple : Cahier technique, septembre 2021 ; 2e édition revue."),
        validator=colander.Length(1, 300),
    )
    date = colander.SchemaNode(
        PartialDate(),
        title=_("Date de l'édition"),
        description=_(
            "Une année (2023), un mois (2023-12) ou un jour (2023-12-05). "
            "L'édition la plus récente est celle que montre la page du guide."
        ),
    )
    changes = colander.SchemaNode(
        colander.String(), title=_("Ce qui a changé"), missing="", widget=deform.widget.TextAreaWidget(rows=4)
    )
    edition_file = upload_node(
        "edition_file",
        _("Fichier de cette édition"),
        with_upload_limit(
            _("Le PDF de l'édition (${size} au plus). Les fichiers des éditions antérieures restent téléchargeables.")
        ),
    )


class ContactSchema(CSRFSchema):
    name = colander.SchemaNode(colander.String(), title=_("Nom de l'organisme"), validator=colander.Length(1, 300))
    address = colander.SchemaNode(
        colander.String(), title=_("Adresse"), missing="", widget=deform.widget.TextAreaWidget(rows=3)
    )
    phone = colander.SchemaNode(colander.String(), title=_("Téléphone"), missing="", validator=colander.Length(max=50))
    email = colander.SchemaNode(
        colander.String(),
        title=_("Courriel"),
        missing="",
        validator=colander.Email(_("Adresse de courriel non valide.")),
    )
    web = colander.SchemaNode(
        colander.String(),
        title=_("Site web"),
        missing="",
        description=_("Adresse complète : https://…"),
        validator=web_address,
    )
