"""Site-wide template helpers (available in every template as ``h``)."""

from pyramid.events import BeforeRender, subscriber

from .content.text import format_partial_date, safe_href, shorten
from .files.checks import human_size
from .names import Role


class TemplateHelpers:
    human_size = staticmethod(human_size)
    format_date = staticmethod(format_partial_date)
    safe_href = staticmethod(safe_href)
    shorten = staticmethod(shorten)
    Role = Role

    @staticmethod
    def file_format(attached):
        ext = attached.filename.rsplit(".", 1)[-1].upper() if "." in attached.filename else ""
        return ext or attached.blob.mime_type

    @staticmethod
    def breadcrumbs(node):
        return list(reversed(list(node.lineage()))) if node is not None and hasattr(node, "lineage") else []


@subscriber(BeforeRender)
def add_globals(event):
    event["h"] = TemplateHelpers
    request = event.get("request")
    if request is not None:
        event.setdefault("messages", request.session.pop_flash("success") + request.session.pop_flash())
