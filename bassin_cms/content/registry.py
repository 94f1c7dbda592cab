"""The content-type registry: which kinds exist, where they may be added, by whom.

Each domain that adds a kind (guide, index, poster, feature) calls
``config.add_content_type(ContentType(...))`` in its includeme.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ContentType:
    name: str  # polymorphic identity, used in URLs (@@add/<name>)
    cls: type
    title: str  # a message: _("Affiche"), English in the catalogue
    schema: Callable  # schema factory: (request, node or None) -> colander schema
    addable_to: tuple = ("folder",)
    add_permission: str = "add"
    is_resource: bool = True
    description: str = field(default="")
    # The kind's own fields: copy them from a validated form onto the node
    # (request, node, appstruct), and read them back for the edit form ((request, node) -> dict).
    apply: Callable | None = None
    appstruct: Callable | None = None
    # What stops it from being published: (request, node) -> [message]; the
    # workflow refuses "publish" while the list is not empty.
    publish_check: Callable | None = None


def add_content_type(config, content_type):
    def register():
        config.registry.setdefault("content_types", {})[content_type.name] = content_type

    config.action(("bassin_cms.content_type", content_type.name), register)


def content_types(registry):
    return registry.get("content_types", {})


def type_of(registry, node):
    return content_types(registry).get(node.type)


def addable_types(request, context):
    return [
        ct
        for ct in content_types(request.registry).values()
        if context.type in ct.addable_to and request.has_permission(ct.add_permission, context)
    ]
