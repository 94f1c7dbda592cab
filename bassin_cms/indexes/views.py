"""The index page (the table, with an anchor per entry), the table editor, the
CSV import and export, and the printable PDF."""

import deform
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.response import Response
from pyramid.view import view_config

from bassin_cms.content.text import format_partial_date, slugify
from bassin_cms.content.views import kind_macro, resource_view
from bassin_cms.forms import fail, handle_form_submission, make_form
from bassin_cms.i18n import _, flash
from bassin_cms.pdf.index_table import index_table
from bassin_cms.pdf.views import cached_pdf

from .models import NUMBER, IndexResource
from .schemas import ImportSchema

BLANK_ROWS = 3
MORE_ROWS = 10


def table_rows(index, column=None, contains=""):
    """[(entry, cells as shown)] in the order people look them up (the page, the PDF)."""
    return [(entry, entry.display_cells(index.columns)) for entry in index.ordered_entries(column, contains)]


@view_config(context=IndexResource, renderer="resource.pt", permission="view", conditional=True)
def index_view(context, request):
    page = resource_view(context, request)
    column = (request.params.get("tri") or "").strip()[:20]
    column = column if any(c["key"] == column for c in context.columns) else ""
    contains = " ".join((request.params.get("filtre") or "").split())[:100]
    rows = table_rows(context, column, contains) if page["can_view_full"] else []
    page.update(kind_macro=kind_macro("index_content.pt"), rows=rows, sort_column=column, contains=contains)
    return page


def _posted_rows(request, columns):
    """The table as posted: [(values by column key, delete flag)], in order.
    Cells are named row-<n>-<column key>; a grid is not what deform renders
    without JavaScript (its sequences add rows with a script), so the table is
    read here and checked by the index service's rules."""
    count = request.POST.get("row_count", "")
    count = min(int(count), 6000) if count.isascii() and count.isdigit() else 0
    rows = []
    for n in range(count):
        values = {c["key"]: request.POST.get(f"row-{n}-{c['key']}", "") for c in columns}
        rows.append((values, bool(request.POST.get(f"row-{n}-delete"))))
    return rows


@view_config(context=IndexResource, name="entries", permission="edit", renderer="index_entries.pt")
def entries_view(context, request):
    columns = context.columns
    errors, conflict, version = [], False, context.version
    if request.method == "POST":
        rows = _posted_rows(request, columns)
        started_from = request.POST.get("version", "")
        if "save" in request.POST and started_from != str(context.version):
            # Saved by someone else since this table was opened: keep what was
            # typed, say so, and let a second save (on the new version) decide.
            conflict = True
        elif "save" in request.POST:
            errors = request.index_service.replace_entries(context, rows)
            if not errors:
                flash(
                    request,
                    _("Tableau enregistré : ${count} entrée(s).", mapping={"count": len(context.entries)}),
                    "success",
                )
                return HTTPSeeOther(request.resource_url(context) + "#entrees")
        else:  # "more": add blank rows to what was typed
            rows += [({c["key"]: "" for c in columns}, False)] * MORE_ROWS
            version = started_from
        grid = [([values.get(c["key"], "") for c in columns], remove) for values, remove in rows]
    else:
        grid = [(cells, False) for _entry, cells in table_rows(context)]
        grid += [([""] * len(columns), False)] * BLANK_ROWS
    bad_rows = {}
    for number, message in errors:
        bad_rows.setdefault(number - 1, []).append(message)
    return {
        "context": context,
        "columns": columns,
        "grid": grid,
        "errors": errors,
        "bad_rows": bad_rows,
        "conflict": conflict,
        "version": version,
        "page_title": _("Modifier le tableau de « ${title} »", mapping={"title": context.title}),
    }


@view_config(context=IndexResource, name="import", permission="edit", renderer="index_import.pt")
def import_view(context, request):
    form = make_form(request, ImportSchema(), buttons=(deform.Button("import", _("Importer")),))
    report = None

    def import_entries(appstruct):
        nonlocal report
        upload = appstruct["csv_file"]
        upload["fp"].seek(0)
        report = request.index_service.import_csv(context, upload["fp"].read(), replace=appstruct["mode"] == "replace")
        form["csv_file"].widget.tmpstore.discard(upload.get("uid"))
        return None  # the same page, with the import's report

    def refused(refusal, appstruct):  # the file itself is wrong: the editor picks another one
        form["csv_file"].widget.tmpstore.discard(appstruct["csv_file"].get("uid"))
        return fail(form, refusal.message, dict(appstruct, csv_file=None), "csv_file")

    if "import" in request.POST:
        _stays, html = handle_form_submission(request, form, import_entries, on_failure=refused)
    else:
        html = form.render()
    return {
        "context": context,
        "form": html,
        "report": report.messages() if report else None,
        "page_title": _("Importer des entrées dans « ${title} »", mapping={"title": context.title}),
    }


@view_config(context=IndexResource, name="entrees.csv", permission="view_full")
def export_csv_view(context, request):
    response = Response(request.index_service.to_csv(context).encode("utf-8"), content_type="text/csv", charset="utf-8")
    response.content_disposition = f'attachment; filename="{slugify(context.title, 60)}.csv"'
    return response


def index_pdf_data(request, index):
    return {
        "title": index.title,
        "summary": index.summary or "",
        "publisher": index.publisher or "",
        "date": format_partial_date(index.date_year, index.date_month, index.date_day) or "",
        "permalink": request.route_url("shortlink", shortid=index.shortid, rest=()),
        "columns": [c["label"] for c in index.columns],
        "numeric": [c["type"] == NUMBER for c in index.columns],
        "rows": [cells for _entry, cells in table_rows(index)],
        "entry_label": index.entry_label,
    }


@view_config(context=IndexResource, name="index.pdf", permission="view_full")
def index_pdf_view(context, request):
    """Regenerated when the entries (or the title...) change: the cache key is
    a hash of what it shows."""
    return cached_pdf(
        request, context, "indexes", index_pdf_data(request, context), index_table, f"{slugify(context.title, 60)}.pdf"
    )
