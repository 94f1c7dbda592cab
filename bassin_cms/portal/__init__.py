"""The public face of the centre: the home page, browsing by theme, territory,
kind and audience, the accessibility statement and the language switch."""

from .services import BROWSE_FACETS, Portal

__all__ = ["BROWSE_FACETS", "Portal"]


class RootPredicate:
    """``is_root=True``: the view is for the site's root folder only (the home
    page), other folders keep the folder listing."""

    def __init__(self, value, config):
        self.value = bool(value)

    def text(self):
        return f"is_root = {self.value}"

    phash = text

    def __call__(self, context, request):
        return (getattr(context, "parent_id", 0) is None) == self.value


def includeme(config):
    from .caching import conditional_view

    config.add_view_predicate("is_root", RootPredicate)
    config.add_view_deriver(conditional_view)
    config.add_request_method(Portal, "portal", reify=True)
    config.add_route("browse", "/parcourir")
    config.add_route("browse_facet", "/parcourir/{facet}")
    config.add_route("browse_term", "/parcourir/{facet}/{code}")
    config.add_route("accessibility", "/accessibilite")
    config.add_route("language", "/langue/{lang}")
    from .i18n import negotiate_locale, term_label, use_current_translate

    config.set_locale_negotiator(negotiate_locale)
    config.add_translation_dirs("bassin_cms:locale/")
    # After pyramid_chameleon registers its translator (order 1000): templates
    # translate the messages nested in a message too (bassin_cms/i18n.py).
    config.action(None, callable=use_current_translate, args=(config.registry,), order=1001)
    config.add_request_method(term_label, "term_label")
    config.scan(".views")
    config.scan(".caching")
    config.scan(".i18n")
