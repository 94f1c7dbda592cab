"""Colander schemas of the content forms. Choices come from the vocabularies,
bound per request; uploads are kept and checked by the files domain, through
its request service (content does not import it)."""

from zoneinfo import ZoneInfo

import colander
import deform

from bassin_cms.forms import CSRFSchema, GroupedCheckboxes, single_line, web_address
from bassin_cms.i18n import _

from .text import check_name, format_agents, parse_partial_date, partial_date_iso
from .vocabularies import grouped_choices, name_finder

LANGUAGES = [("fr", _("Français")), ("en", _("Anglais")), ("nl", _("Néerlandais")), ("de", _("Allemand"))]


class PartialDate(colander.SchemaType):
    """'2023', '2023-12', '12/2023', '2023-12-05'... <-> (year, month, day)."""

    def serialize(self, node, appstruct):
        if appstruct in (colander.null, None) or not appstruct[0]:
            return colander.null
        return partial_date_iso(*appstruct)

    def deserialize(self, node, cstruct):
        if cstruct in (colander.null, None) or not str(cstruct).strip():
            return colander.null
        try:
            return parse_partial_date(str(cstruct))
        except ValueError as exc:
            raise colander.Invalid(node, exc.args[0]) from None


@colander.deferred
def deferred_tmpstore_widget(node, kw):
    return deform.widget.FileUploadWidget(kw["request"].upload_tempstore)


def upload_validator(node, value):
    refusal = node.bindings["request"].file_service.refusal(value["fp"], value.get("filename"))
    if refusal is not None:
        raise colander.Invalid(node, refusal)


def with_upload_limit(message):
    """``message`` (a _() string with ${size}) told the upload limit of the
    site's settings when the form is bound, not a size written in the text."""

    @colander.deferred
    def described(node, kw):
        return _(message, mapping={"size": kw["request"].file_service.max_size_label()})

    return described


def upload_node(name, title, description=""):
    """An optional upload, checked by the files domain, kept across form errors."""
    return colander.SchemaNode(
        deform.FileData(),
        name=name,
        title=title,
        description=description,
        missing=None,
        widget=deferred_tmpstore_widget,
        validator=upload_validator,
    )


def _vocabulary_widget(vocabulary, multiple=True):
    @colander.deferred
    def widget(node, kw):
        service = kw["request"].vocabulary_service
        if multiple:
            tree = service.tree(vocabulary)
            return GroupedCheckboxes(values=grouped_choices(tree), find=name_finder(tree))
        return deform.widget.SelectWidget(values=[("", _("— non précisé —"))] + service.choices(vocabulary))

    return widget


def _vocabulary_validator(vocabulary):
    @colander.deferred
    def validator(node, kw):
        ids = {int(v) for v, _ in kw["request"].vocabulary_service.choices(vocabulary)}

        def check(node, value):
            values = value if isinstance(value, (set, list, tuple)) else [value]
            if any(v not in ids for v in values if v is not None):
                raise colander.Invalid(node, _("Valeur inconnue dans ce vocabulaire."))

        return check

    return validator


def _terms_node(name, vocabulary, title, description=""):
    return colander.SchemaNode(
        colander.Set(),
        name=name,
        title=title,
        description=description,
        widget=_vocabulary_widget(vocabulary),
        validator=_vocabulary_validator(vocabulary),
        missing=(),
        preparer=lambda values: [int(v) for v in values if str(v).isascii() and str(v).isdigit()] if values else [],
    )


def _name_validator(node, value):
    message = check_name(value)
    if message:
        raise colander.Invalid(node, message)


PARIS = ZoneInfo("Europe/Paris")


def version_node():
    """The version the editor started from: a save over a newer one is refused."""
    return colander.SchemaNode(
        colander.Integer(),
        name="version",
        widget=deform.widget.HiddenWidget(),
        missing=None,
    )


def restricted_node():
    return colander.SchemaNode(
        colander.Boolean(),
        name="restricted",
        title=_("Réservé aux partenaires"),
        missing=False,
        description=_("Le public voit la notice (titre, résumé) mais ni le texte ni les fichiers."),
    )


def diffusion_nodes():
    """When and to whom a resource is shown (used by the workflow)."""
    return [
        restricted_node(),
        colander.SchemaNode(
            colander.DateTime(default_tzinfo=PARIS),
            name="effective",
            title=_("Mise en ligne le"),
            missing=None,
            description=_("Laisser vide pour une mise en ligne dès la publication. Heure de Paris."),
            widget=deform.widget.DateTimeInputWidget(),
        ),
        colander.SchemaNode(
            colander.DateTime(default_tzinfo=PARIS),
            name="expires",
            title=_("Retrait le"),
            missing=None,
            description=_("La ressource sera archivée à cette date (bassin-cms publish-due)."),
            widget=deform.widget.DateTimeInputWidget(),
        ),
        colander.SchemaNode(
            colander.Boolean(),
            name="public_when_archived",
            title=_("Rester visible une fois archivée"),
            missing=False,
            description=_("Avec un bandeau « archive »."),
        ),
    ]


def _dates_in_order(node, value):
    if value.get("effective") and value.get("expires") and value["expires"] <= value["effective"]:
        message = _("La date de retrait doit suivre la date de mise en ligne.")
        exc = colander.Invalid(node, message)
        exc["expires"] = message
        raise exc


class FolderSchema(CSRFSchema):
    version = version_node()
    title = colander.SchemaNode(colander.String(), title=_("Titre"), validator=single_line(1, 500))
    summary = colander.SchemaNode(
        colander.String(),
        title=_("Présentation courte"),
        missing="",
        widget=deform.widget.TextAreaWidget(rows=3),
    )
    body = colander.SchemaNode(
        colander.String(),
        title=_("Texte d'introduction"),
        missing="",
        description=_("Texte simple (paragraphes séparés par une ligne vide) ou HTML simple."),
        widget=deform.widget.TextAreaWidget(rows=6),
    )
    restricted = restricted_node()


def folder_schema(request, node=None):
    return FolderSchema()


def resource_schema(request, node=None, extra=()):
    """The metadata every resource kind shares, plus its files."""
    schema = CSRFSchema(validator=_dates_in_order)
    add = schema.add
    add(version_node())
    add(colander.SchemaNode(colander.String(), name="title", title=_("Titre"), validator=single_line(1, 500)))
    add(
        colander.SchemaNode(
            colander.String(),
            name="summary",
            title=_("Résumé"),
            missing="",
            description=_("Deux ou trois phrases : elles apparaissent dans les listes et les résultats de recherche."),
            widget=deform.widget.TextAreaWidget(rows=4),
        )
    )
    add(
        colander.SchemaNode(
            colander.String(),
            name="body",
            title=_("Texte"),
            missing="",
            description=_(
                "Texte simple (paragraphes séparés par une ligne vide) ou HTML simple ; le reste est retiré."
            ),
            widget=deform.widget.TextAreaWidget(rows=10),
        )
    )
    add(
        colander.SchemaNode(
            colander.Integer(),
            name="kind",
            title=_("Type de ressource"),
            missing=None,
            widget=_vocabulary_widget("kind", multiple=False),
            validator=_vocabulary_validator("kind"),
        )
    )
    add(
        colander.SchemaNode(
            PartialDate(),
            name="date",
            title=_("Date"),
            missing=None,
            description=_("Une année (2023), un mois (2023-12 ou 12/2023) ou un jour (2023-12-05 ou 05/12/2023)."),
        )
    )
    add(
        colander.SchemaNode(
            colander.String(),
            name="creators",
            title=_("Auteurs"),
            missing="",
            description=_("Un par ligne ; le rôle entre parenthèses, par exemple : Mission Bassin Minier (rédaction)."),
            widget=deform.widget.TextAreaWidget(rows=3),
        )
    )
    add(
        colander.SchemaNode(
            colander.String(),
            name="contributors",
            title=_("Contributeurs et partenaires"),
            missing="",
            description=_("Un par ligne, avec le rôle entre parenthèses : Olivier Sampson (illustrations)."),
            widget=deform.widget.TextAreaWidget(rows=3),
        )
    )
    add(
        colander.SchemaNode(
            colander.String(),
            name="publisher",
            title=_("Éditeur"),
            missing="",
            default="Mission Bassin Minier Nord-Pas de Calais",
        )
    )
    add(
        colander.SchemaNode(
            colander.String(),
            name="language",
            title=_("Langue"),
            missing="fr",
            default="fr",
            widget=deform.widget.SelectWidget(values=LANGUAGES),
            validator=colander.OneOf([code for code, _ in LANGUAGES]),
        )
    )
    add(
        colander.SchemaNode(
            colander.String(),
            name="rights",
            title=_("Droits / licence"),
            missing="",
            description=_("Par exemple : Licence Ouverte 2.0, CC BY-SA 4.0, « tous droits réservés »."),
        )
    )
    add(_terms_node("themes", "theme", _("Thèmes")))
    add(_terms_node("territories", "territory", _("Territoires"), _("Département, EPCI ou commune.")))
    add(_terms_node("audiences", "audience", _("Publics")))
    add(_terms_node("levels", "level", _("Niveaux scolaires")))
    add(_terms_node("subjects", "subject", _("Disciplines")))
    add(
        colander.SchemaNode(
            colander.String(),
            name="duration",
            title=_("Durée ou format (ressources pédagogiques)"),
            missing="",
            description=_("Par exemple : 2 séances de 55 min ; exposition de 12 panneaux ; jeu de 30 cartes."),
            validator=colander.Length(max=200),
        )
    )
    for node_ in extra:
        add(node_)
    for node_ in diffusion_nodes():
        add(node_)
    add(
        upload_node(
            "main_file",
            _("Remplacer le fichier principal") if node is not None else _("Fichier principal"),
            with_upload_limit(_("PDF de préférence (${size} au plus). Le texte et la vignette en sont extraits.")),
        )
    )
    add(upload_node("attachment", _("Ajouter une pièce jointe")))
    return schema


def document_schema(request, node=None):
    return resource_schema(
        request,
        node,
        extra=[
            colander.SchemaNode(
                colander.String(),
                name="external_url",
                title=_("Lien externe"),
                missing="",
                description=_("Pour une vidéo ou un site web hébergé ailleurs."),
                validator=web_address,
            )
        ],
    )


def resource_appstruct(resource):
    """What the edit form starts from."""
    return {
        "title": resource.title,
        "summary": resource.summary or "",
        "body": resource.body or "",
        "kind": resource.kind_id,
        "date": (resource.date_year, resource.date_month, resource.date_day) if resource.date_year else colander.null,
        "creators": format_agents(resource.creators),
        "contributors": format_agents(resource.contributors),
        "publisher": resource.publisher or "",
        "language": resource.language or "fr",
        "rights": resource.rights or "",
        "themes": [t.id for t in resource.terms_of("theme")],
        "territories": [t.id for t in resource.terms_of("territory")],
        "audiences": [t.id for t in resource.terms_of("audience")],
        "levels": [t.id for t in resource.terms_of("level")],
        "subjects": [t.id for t in resource.terms_of("subject")],
        "duration": resource.duration or "",
        "external_url": getattr(resource, "external_url", "") or "",
        "version": resource.version,
        "restricted": resource.restricted,
        "effective": resource.effective.astimezone(PARIS) if resource.effective else colander.null,
        "expires": resource.expires.astimezone(PARIS) if resource.expires else colander.null,
        "public_when_archived": resource.public_when_archived,
    }


def folder_appstruct(folder):
    return {
        "title": folder.title,
        "summary": folder.summary or "",
        "body": folder.body or "",
        "restricted": folder.restricted,
        "version": folder.version,
    }


class RenameSchema(CSRFSchema):
    name = colander.SchemaNode(
        colander.String(),
        title=_("Nouveau nom court (dans l'adresse)"),
        validator=_name_validator,
        description=_(
            "Lettres minuscules sans accent, chiffres et tirets. L'ancienne adresse redirigera vers la nouvelle."
        ),
    )
    title = colander.SchemaNode(colander.String(), title=_("Titre"), validator=single_line(1, 500))


@colander.deferred
def _folder_choices_widget(node, kw):
    request = kw["request"]
    choices = [
        (str(folder.id), "\u00a0\u00a0" * depth + (folder.title or _("Accueil")))
        for folder, depth in request.content_service.folders()
    ]
    return deform.widget.SelectWidget(values=choices)


class MoveSchema(CSRFSchema):
    target = colander.SchemaNode(colander.Integer(), title=_("Dossier de destination"), widget=_folder_choices_widget)
