"""A visitor's selection of resources (kept in the session), downloadable as
one ZIP and as a PDF bibliography."""


def includeme(config):
    from .views import selection_of

    config.add_request_method(selection_of, "selection", reify=True)
    config.add_route("selection", "/selection")
    config.add_route("selection_add", "/selection/ajouter")
    config.add_route("selection_remove", "/selection/retirer")
    config.add_route("selection_clear", "/selection/vider")
    config.add_route("selection_zip", "/selection/ma-selection.zip")
    config.add_route("selection_bibliography", "/selection/bibliographie.pdf")
    config.scan(".views")
