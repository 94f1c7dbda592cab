"""Open formats for other portals and readers: OAI-PMH 2.0 (oai_dc), Atom
feeds of new publications, sitemap.xml, robots.txt. Only what the public may
see appears in them."""
from .services import PublicCatalogue

__all__ = ["PublicCatalogue"]


def includeme(config):
    config.add_route("oai", "/oai")
    config.add_route("feed", "/flux.atom")
    config.add_route("sitemap", "/sitemap.xml")
    config.add_route("robots", "/robots.txt")
    config.scan(".views")
