"""One way to build, validate and render forms (colander + deform), as in hypothesis/h.

- Every schema derives from CSRFSchema: the token travels in the form and is
  checked again by Pyramid's own CSRF check on every unsafe request.
- After a failed validation, each invalid control gets aria-invalid and
  aria-describedby pointing at its message, and the form starts with a summary of
  the errors linking to each field (templates/deform/form.pt).
- Uploads are kept by the FileUploadWidget's temp store; a refused upload is
  dropped so the form does not pretend it still holds it.
"""

import copy
import datetime as dt
import re
from importlib.resources import files as package_files

import colander
import deform

from bassin_cms.i18n import _, current_translate


@colander.deferred
def _csrf_default(node, kw):
    return kw["request"].session.get_csrf_token()


def _csrf_validator(node, value):
    request = node.bindings["request"]
    if value != request.session.get_csrf_token():
        raise colander.Invalid(node, _("Votre session a expiré : vérifiez le formulaire et envoyez-le à nouveau."))


class CSRFSchema(colander.Schema):
    csrf_token = colander.SchemaNode(
        colander.String(),
        widget=deform.widget.HiddenWidget(),
        default=_csrf_default,
        missing="",
        validator=_csrf_validator,
        name="csrf_token",
    )


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def _no_control_characters(node, value):
    if value and _CONTROL.search(value):
        raise colander.Invalid(
            node, _("Ce champ tient sur une ligne : retirez les retours à la ligne et les caractères de contrôle.")
        )


def web_address(node, value):
    """colander.url, and an http(s) scheme: colander.url alone accepts
    "javascript:alert(1);'@x.com/". One validator, so one message."""
    from bassin_cms.content.text import safe_href

    colander.url(node, value)
    if value and safe_href(value) is None:
        raise colander.Invalid(node, _("Adresse web non valide : elle commence par https:// ou http://."))


def single_line(min_length=0, max_length=500):
    """The validator of a one-line text (a title): its length, and no line
    break or control character, which would end up in a mail's subject (where
    a CR/LF silently dropped the message) or a PDF's outline."""
    return colander.All(colander.Length(min_length, max_length), _no_control_characters)


def configure_deform(templates_dir):
    search_path = (
        str(templates_dir) + "/deform",
        str(package_files("deform") / "templates"),
    )
    deform.Form.set_zpt_renderer(search_path, translator=current_translate)


def make_form(request, schema, buttons=("save",), action="", formid="deform", **kw):
    schema = schema.bind(request=request)
    return deform.Form(schema, buttons=buttons, action=action, formid=formid, **kw)


def iter_fields(field):
    for child in field.children:
        yield child
        yield from iter_fields(child)


class Checkboxes(deform.widget.CheckboxChoiceWidget):
    """Checkboxes whose values are ids: deform's template ticks a box only if
    its value, a string, is in the field's values, which the schema holds as
    numbers; unticked, saving an unchanged form dropped every choice (a
    guide's seven contacts, a user's groups)."""

    def serialize(self, field, cstruct, **kw):
        if cstruct not in (colander.null, None):
            cstruct = {str(value) for value in cstruct}
        return super().serialize(field, cstruct, **kw)


class GroupedCheckboxes(Checkboxes):
    """Checkboxes in folding groups (``values``: [(group title or None,
    [(value, label)])]), in a fieldset whose legend is the field's title and
    whose help comes before the boxes: a vocabulary of 159 territories chosen
    without holding Ctrl, and without JavaScript (the site runs none)."""

    template = "grouped_checkboxes"
    category = "structural"  # the fieldset is its own label (mapping_item.pt)
    own_help = True
    # A field to add a choice by typing its name: the browser's own list
    # (<datalist>) narrows as one types, no script needed. ``find`` maps the
    # text typed to a value (None: not a choice).
    find = None

    def deserialize(self, field, pstruct):
        """The ticked values, and the one typed by name (its text, in the same
        sequence, arrives among them)."""
        values = super().deserialize(field, pstruct)
        if values is colander.null:
            return values
        known = {value for _group, choices in self.values for value, _label in choices}
        out, unknown = [], []
        for value in values:
            value = value.strip()
            found = value if value in known else (self.find(value) if self.find and value else None)
            if found is not None and found not in out:
                out.append(found)
            elif found is None and value:
                unknown.append(value)
        if unknown:
            raise colander.Invalid(
                field.schema,
                _("« ${name} » n'est pas dans la liste : choisissez un nom proposé.", mapping={"name": unknown[0]}),
                tuple(out) + tuple(unknown),
            )
        return tuple(out)


def error_summary(form):
    """[(title, message, oid)] for the summary at the top of a failed form."""
    out = []
    for field in iter_fields(form):
        if field.error is not None and not field.children and field.name != "csrf_token":
            out.append((field.title, field.error.msg, field.oid))
    if form.error is not None and form.error.msg and not out:
        out.append((form.title or "", form.error.msg, form.formid))
    csrf = next((f for f in form.children if f.name == "csrf_token"), None)
    if csrf is not None and csrf.error is not None:
        out.insert(0, ("", csrf.error.msg, form.formid))
    return out


def mark_errors(form):
    for field in iter_fields(form):
        if field.error is None:
            continue
        widget = copy.copy(field.widget)
        attributes = dict(getattr(widget, "attributes", None) or {})
        attributes["aria-invalid"] = "true"
        attributes["aria-describedby"] = f"error-{field.oid}"
        widget.attributes = attributes
        field.widget = widget
        if isinstance(widget, deform.widget.FileUploadWidget) and isinstance(field.cstruct, dict):
            uid = field.cstruct.get("uid")
            if uid and hasattr(widget.tmpstore, "discard"):
                widget.tmpstore.discard(uid)
            field.cstruct = colander.null


def validate(request, form):
    """(appstruct, None) when valid, (None, rendered form) when not."""
    try:
        return form.validate(request.POST.items()), None
    except deform.ValidationFailure as failure:
        mark_errors(failure.field)
        failure.field.error_summary = error_summary(failure.field)
        return None, failure.field.render()


def fail(form, message, appstruct, field_name=None):
    """Render ``form`` again with a rule broken after validation (a name already
    taken, a move into itself...): the message goes in the summary and, when a
    field is named ("new_image.image" for a nested one), beside that field.
    What was typed is kept."""
    field = form
    for name in (field_name or "").split(".") if field_name else ():
        field = field[name]
    field = field if field_name else None
    if field is not None:
        field.error = colander.Invalid(field.schema, message)
        mark_errors(form)
    form.error = colander.Invalid(form.schema, message)
    form.error_summary = [(field.title if field else "", message, field.oid if field else form.formid)]
    # A validated appstruct says None for "nothing"; serializers want colander.null.
    return form.render({k: colander.null if v is None else v for k, v in appstruct.items()})


def handle_form_submission(request, form, on_success, on_failure=None, field_name=None):
    """The one way a posted form is handled (hypothesis/h's function of that
    name): validate ``form`` against the POST, then ``on_success(appstruct)``.

    Returns ``(response, None)`` with what ``on_success`` returned (its
    redirect, or None for a page that stays), or ``(None, html)``: the form
    again, with what was typed and uploaded kept. When ``on_success`` raises
    a Refusal (a rule of a service), the transaction is doomed, so nothing it
    did is committed, the answer's status is 400 (or the refusal's ``status``), and the message is shown in
    the summary and beside ``field_name`` (or the refusal's own ``field``);
    ``on_failure(refusal, appstruct)``, when given, renders the form instead
    (to drop a refused upload, say)."""
    from bassin_cms.i18n import Refusal

    appstruct, html = validate(request, form)
    if appstruct is None:
        return None, html
    try:
        return on_success(appstruct), None
    except Refusal as refusal:
        request.tm.doom()
        request.response.status = getattr(refusal, "status", 400)
        if on_failure is not None:
            return None, on_failure(refusal, appstruct)
        return None, fail(form, refusal.message, appstruct, getattr(refusal, "field", None) or field_name)


def parse_day(value):
    """A day typed as AAAA-MM-JJ in a query string, or None."""
    try:
        return dt.date.fromisoformat(value.strip()) if value and value.strip().isascii() else None
    except ValueError:
        return None
