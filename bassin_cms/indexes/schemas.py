"""The index forms: the shared resource metadata plus the columns; and the CSV import."""

import colander
import deform

from bassin_cms.content.schemas import resource_schema, upload_node
from bassin_cms.forms import CSRFSchema
from bassin_cms.i18n import _

from .services import IndexRuleError, format_columns, parse_columns

DEFAULT_COLUMNS = "N°\nNom\nCommunes\nEPCI\nStatut\nSurface (ha) : nombre"


def _columns_validator(node, value):
    try:
        parse_columns(value)
    except IndexRuleError as exc:
        raise colander.Invalid(node, exc.message) from None


def index_schema(request, node=None):
    return resource_schema(
        request,
        node,
        extra=[
            colander.SchemaNode(
                colander.String(),
                name="columns",
                title=_("Colonnes du tableau"),
                default=DEFAULT_COLUMNS,
                description=_(
                    "Une par ligne, dans l'ordre : d'abord le numéro ou code de l'entrée, puis son nom. "
                    "Ajoutez « : nombre » aux colonnes numériques (Surface (ha) : nombre). "
                    "Renommer une colonne garde ses valeurs."
                ),
                widget=deform.widget.TextAreaWidget(rows=6),
                validator=_columns_validator,
            ),
            colander.SchemaNode(
                colander.String(),
                name="entry_label",
                title=_("Nom d'une entrée"),
                default="Entrée",
                missing="Entrée",
                description=_("Précède le numéro dans les résultats de recherche : « Terril 74a »."),
                validator=colander.Length(1, 100),
            ),
        ],
    )


def apply_index(request, index, appstruct):
    request.index_service.set_columns(index, appstruct["columns"])
    index.entry_label = (appstruct.get("entry_label") or "Entrée").strip()
    if index.kind is None:  # an index is of the "Index" kind unless the editor says otherwise
        index.kind = request.vocabulary_service.by_code("kind", "index")


def index_appstruct(request, index):
    return {"columns": format_columns(index.columns or []), "entry_label": index.entry_label or "Entrée"}


class ImportSchema(CSRFSchema):
    csv_file = upload_node(
        "csv_file",
        _("Fichier CSV"),
        _("Première ligne : les noms des colonnes. Séparateur « ; » ou « , », encodage UTF-8 ou Windows (Excel)."),
    )
    mode = colander.SchemaNode(
        colander.String(),
        title=_("Les entrées déjà présentes"),
        default="merge",
        widget=deform.widget.RadioChoiceWidget(
            values=[
                ("merge", _("Garder : ajouter les nouvelles lignes, mettre à jour celles dont le numéro existe")),
                ("replace", _("Remplacer : l'index contiendra exactement les lignes du fichier")),
            ]
        ),
        validator=colander.OneOf(["merge", "replace"]),
    )

    def validator(self, node, value):
        if not value.get("csv_file"):
            exc = colander.Invalid(node, _("Choisissez un fichier CSV."))
            exc["csv_file"] = _("Choisissez un fichier CSV.")
            raise exc
        if not value["csv_file"]["filename"].lower().endswith((".csv", ".txt")):
            message = _(
                "Ce fichier n'est pas un CSV : enregistrez le tableau au format CSV (.csv) depuis votre tableur."
            )
            exc = colander.Invalid(node, message)
            exc["csv_file"] = message
            raise exc
