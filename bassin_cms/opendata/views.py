"""Open formats: OAI-PMH, Atom feeds of new publications, sitemap.xml and
robots.txt. Only what an anonymous visitor may open appears in any of them,
whoever asks (a logged-in editor's harvester sees the public view too)."""

import datetime as dt
import xml.etree.ElementTree as ET

from pyramid.httpexceptions import HTTPNotFound
from pyramid.response import Response
from pyramid.view import view_config

from .oai import Repository, datestamp, serialize

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_SIZE = 30


def _xml(body, content_type):
    response = Response(body, content_type=content_type, charset="utf-8")
    response.cache_control = "no-cache"  # cheap to revalidate, never stale
    return response


@view_config(route_name="oai")
def oai_view(request):
    keys = list(request.params.keys())
    repository = Repository(request, request.public_catalogue)
    return _xml(repository.respond(dict(request.params.items()), repeated=len(keys) != len(set(keys))), "text/xml")


@view_config(route_name="feed")
def feed_view(request):
    """/flux.atom, /flux.atom?theme=<code>, /flux.atom?territory=<code>."""
    catalogue = request.public_catalogue
    vocabulary = code = None
    title = "Nouveautés du centre de ressources de la Mission Bassin Minier"
    for name in ("theme", "territory"):
        if request.GET.get(name):
            term = request.vocabulary_service.by_code(name, request.GET[name])
            if term is None:
                raise HTTPNotFound()
            vocabulary, code = name, term.code
            title += f" — {'thème' if name == 'theme' else 'territoire'} : {term.label}"
    resources = catalogue.latest(FEED_SIZE, vocabulary=vocabulary, code=code)
    return atom_feed(request, resources, title, request.route_url("home"))


def atom_feed(request, resources, title, alternate):
    """An Atom document of ``resources`` (public ones: the caller's query)."""
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "fr"})

    def add(parent, name, text=None, **attributes):
        element = ET.SubElement(parent, f"{{{ATOM}}}{name}", attributes)
        if text is not None:
            element.text = text
        return element

    add(feed, "title", title)
    add(feed, "id", request.url)
    add(feed, "link", rel="self", href=request.url, type="application/atom+xml")
    add(feed, "link", rel="alternate", href=alternate, type="text/html")
    newest = max((r.modified for r in resources), default=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    add(feed, "updated", datestamp(newest))
    author = add(feed, "author")
    add(author, "name", "Mission Bassin Minier Nord-Pas de Calais")
    for resource in resources:
        entry = add(feed, "entry")
        permalink = request.route_url("shortlink", shortid=resource.shortid, rest=())
        add(entry, "title", resource.title)
        add(entry, "id", permalink)
        add(entry, "link", rel="alternate", href=request.resource_url(resource), type="text/html")
        add(entry, "published", datestamp(resource.effective or resource.created))
        add(entry, "updated", datestamp(resource.modified))
        if resource.summary:
            add(entry, "summary", resource.summary)
        for agent in resource.creators or []:
            add(add(entry, "author"), "name", agent.name)
        if resource.kind is not None:
            add(entry, "category", term=resource.kind.code, label=resource.kind.label)
        for term in resource.terms:
            if term.vocabulary in ("theme", "territory"):
                add(entry, "category", term=f"{term.vocabulary}:{term.code}", label=term.label)
        if resource.rights:
            add(entry, "rights", resource.rights)
    return _xml(b'<?xml version="1.0" encoding="utf-8"?>\n' + serialize(feed, ATOM), "application/atom+xml")


@view_config(route_name="sitemap")
def sitemap_view(request):
    catalogue = request.public_catalogue
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    home = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
    ET.SubElement(home, f"{{{SITEMAP}}}loc").text = request.route_url("home")
    statement = catalogue.query()
    # 50,000 addresses is a sitemap's limit; read them a thousand at a time.
    for offset in range(0, min(catalogue.count(statement), 50_000), 1000):
        for resource in catalogue.page(statement, offset, 1000):
            url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
            ET.SubElement(url, f"{{{SITEMAP}}}loc").text = request.resource_url(resource)
            ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = datestamp(resource.modified)
    return _xml(b'<?xml version="1.0" encoding="UTF-8"?>\n' + serialize(urlset, SITEMAP), "application/xml")


@view_config(route_name="robots")
def robots_view(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /login",
        "Disallow: /review",
        "Disallow: /mes-contenus",
        "Disallow: /selection",
        "Disallow: /langue/",
        "Disallow: /search",
        "Disallow: /*@@",
        "",
        f"Sitemap: {request.route_url('sitemap')}",
        "",
    ]
    return Response("\n".join(lines), content_type="text/plain", charset="utf-8")
