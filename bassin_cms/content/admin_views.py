"""Administration of the vocabularies (/admin/vocabularies)."""

import colander
import deform
from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config

from bassin_cms.forms import CSRFSchema, handle_form_submission
from bassin_cms.i18n import _, flash
from bassin_cms.params import id_param

from .text import check_name


def _code_validator(node, value):
    message = check_name(value, code=True)
    if message:
        raise colander.Invalid(node, message)


@colander.deferred
def _parent_widget(node, kw):
    request, vocabulary = kw["request"], kw["vocabulary"]
    return deform.widget.SelectWidget(
        values=[("", _("— aucun (premier niveau) —"))] + request.vocabulary_service.choices(vocabulary)
    )


class TermSchema(CSRFSchema):
    label = colander.SchemaNode(colander.String(), title=_("Libellé"), validator=colander.Length(1, 250))
    label_en = colander.SchemaNode(colander.String(), title=_("Libellé en anglais"), missing="")
    code = colander.SchemaNode(
        colander.String(),
        title=_("Code"),
        validator=_code_validator,
        description=_("Identifiant stable, en minuscules sans accent (ex. : call, commune-lens)."),
    )
    acronym = colander.SchemaNode(
        colander.String(), title=_("Sigle"), missing="", description=_("Ex. : CALL, VUE, ERBM.")
    )
    synonyms = colander.SchemaNode(
        colander.String(),
        title=_("Synonymes de recherche"),
        missing="",
        description=_(
            "Noms équivalents pour la recherche, un par ligne : anciens noms, autres graphies, abréviations "
            "(ex. : Artois Comm, expo). Une recherche sur l'un d'eux trouve aussi le libellé, le sigle et le "
            "libellé anglais, avec un poids moindre que les mots tapés."
        ),
        widget=deform.widget.TextAreaWidget(rows=4),
    )
    aliases = colander.SchemaNode(
        colander.String(),
        title=_("Correspondances d'import"),
        missing="",
        description=_(
            "Textes libres d'anciens catalogues à rattacher à ce terme lors d'un import, un par ligne "
            "(ex. : rapport d'activite). Jamais utilisés par la recherche."
        ),
        widget=deform.widget.TextAreaWidget(rows=4),
    )
    parent = colander.SchemaNode(colander.Integer(), title=_("Terme parent"), missing=None, widget=_parent_widget)
    position = colander.SchemaNode(colander.Integer(), title=_("Ordre"), missing=0, default=0)


def _vocabulary(request):
    vocabulary = request.matchdict["vocabulary"]
    if vocabulary not in request.vocabulary_service.vocabularies():
        raise HTTPNotFound()
    return vocabulary


@view_config(route_name="admin_home", renderer="admin/home.pt", permission="manage")
def admin_home_view(request):
    """/admin: the sections of the administration (views.ADMIN_SECTIONS)."""
    return {}


@view_config(route_name="admin_vocabularies", renderer="admin/vocabularies.pt", permission="manage")
def vocabularies_view(request):
    service = request.vocabulary_service
    return {"vocabularies": [(code, title, len(service.tree(code))) for code, title in service.vocabularies().items()]}


@view_config(route_name="admin_vocabulary", renderer="admin/vocabulary.pt", permission="manage")
def vocabulary_view(request):
    vocabulary = _vocabulary(request)
    service = request.vocabulary_service
    return {
        "vocabulary": vocabulary,
        "title": service.vocabularies()[vocabulary],
        "tree": service.tree(vocabulary),
        "usage": service.usage_counts(vocabulary),
    }


def _term_form(request, vocabulary, term=None):
    vocabulary = _vocabulary(request)
    service = request.vocabulary_service
    schema = TermSchema().bind(request=request, vocabulary=vocabulary)
    form = deform.Form(schema, buttons=(deform.Button("save", _("Enregistrer")),), formid="term")

    def save(appstruct):
        service.save(vocabulary, appstruct, term)
        flash(request, _("Terme enregistré."), "success")
        return HTTPSeeOther(request.route_url("admin_vocabulary", vocabulary=vocabulary))

    if "save" in request.POST:
        response, html = handle_form_submission(request, form, save)  # a VocabularyError names its field
        if response is not None:
            return response
    elif term is not None:
        html = form.render(
            {
                "label": term.label,
                "label_en": term.label_en,
                "code": term.code,
                "acronym": term.acronym,
                "synonyms": term.synonyms,
                "aliases": term.aliases,
                "parent": term.parent_id,
                "position": term.position,
            }
        )
    else:
        html = form.render()
    return {
        "page_title": _("Modifier le terme « ${label} »", mapping={"label": term.label})
        if term
        else _("Ajouter un terme"),
        "form": html,
        "context": None,
        "cancel_url": request.route_url("admin_vocabulary", vocabulary=vocabulary),
        "intro": None,
    }


@view_config(route_name="admin_term_add", renderer="form.pt", permission="manage")
def term_add_view(request):
    return _term_form(request, _vocabulary(request))


@view_config(route_name="admin_term", renderer="form.pt", permission="manage")
def term_edit_view(request):
    vocabulary = _vocabulary(request)
    term = request.vocabulary_service.get(id_param(request.matchdict["term_id"]))
    if term is None or term.vocabulary != vocabulary:
        raise HTTPNotFound()
    if request.method == "POST" and "delete" in request.POST:
        request.vocabulary_service.delete(term)
        flash(request, _("Terme « ${label} » supprimé.", mapping={"label": term.label}), "success")
        return HTTPSeeOther(request.route_url("admin_vocabulary", vocabulary=vocabulary))
    page = _term_form(request, vocabulary, term)
    if isinstance(page, dict):
        page["delete_term"] = term
    return page
