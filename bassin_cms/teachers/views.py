"""/enseignants: resources for class, filtered by level and subject, the
pedagogical kits first, with what each file weighs before it is downloaded
(school networks are slow)."""

from pyramid.view import view_config

from bassin_cms.i18n import _, current_translate
from bassin_cms.params import page_param
from bassin_cms.workflow.visibility import visible_clause

PAGE_SIZE = 20


@view_config(route_name="teachers", renderer="teachers.pt")
def teachers_view(request):
    level, subject = (request.params.get(k, "").strip()[:60] for k in ("niveau", "discipline"))
    vocabularies = request.vocabulary_service
    levels, subjects = ([t for t, _depth in vocabularies.tree(v)] for v in ("level", "subject"))
    messages = []
    if level and level not in {t.code for t in levels}:
        messages.append(
            current_translate(
                _("Niveau inconnu : « ${value} ». Tous les niveaux sont affichés.", mapping={"value": level})
            )
        )
        level = ""
    if subject and subject not in {t.code for t in subjects}:
        messages.append(
            current_translate(
                _(
                    "Discipline inconnue : « ${value} ». Toutes les disciplines sont affichées.",
                    mapping={"value": subject},
                )
            )
        )
        subject = ""
    visible = request.content_service.for_teachers(visible_clause(request, "view"))

    def codes(resource, vocabulary):
        return {t.code for t in resource.terms_of(vocabulary)}

    def keep(resource, skip=None):
        return (skip == "level" or not level or level in codes(resource, "level")) and (
            skip == "subject" or not subject or subject in codes(resource, "subject")
        )

    # Counts next to each choice: how many there would be with that choice.
    level_counts = {t.code: sum(1 for r in visible if keep(r, "level") and t.code in codes(r, "level")) for t in levels}
    subject_counts = {
        t.code: sum(1 for r in visible if keep(r, "subject") and t.code in codes(r, "subject")) for t in subjects
    }
    selected = [r for r in visible if keep(r)]
    page = page_param(request.params.get("page"))
    shown = selected[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    files = {r.id: request.file_service.files_of(r) if request.has_permission("view_full", r) else [] for r in shown}
    return {
        "levels": levels,
        "subjects": subjects,
        "level": level,
        "subject": subject,
        "messages_": messages,
        "level_counts": level_counts,
        "subject_counts": subject_counts,
        "resources": shown,
        "files": files,
        "total": len(selected),
        "page": page,
        "pages": max(1, -(-len(selected) // PAGE_SIZE)),
        "query": {k: v for k, v in (("niveau", level), ("discipline", subject)) if v},
    }
