"""Open formats for other portals and readers: OAI-PMH 2.0 (oai_dc), Atom
feeds of new publications, sitemap.xml, robots.txt. Only what the public may
see appears in them."""

from .services import PublicCatalogue

__all__ = ["PublicCatalogue"]


def includeme(config):
    config.add_request_method(PublicCatalogue, "public_catalogue", reify=True)
    config.add_route("oai", "/oai")
    config.add_route("feed", "/flux.atom")
    config.add_route("sitemap", "/sitemap.xml")
    config.add_route("robots", "/robots.txt")
    config.add_route("api_resources", "/api/resources")
    config.add_route("api_resource", "/api/resources/{shortid}")
    config.scan(".views")
    config.scan(".api")
