"""What the public may see, for harvesters and feed readers: the resources
an anonymous visitor may open (the same rule as the pages' ACL: published and
within its dates, or archived and left public), in Dublin Core."""

import json

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from bassin_cms.content.models import Resource, Term, resource_terms
from bassin_cms.content.text import partial_date_iso, strip_tags
from bassin_cms.workflow import visibility
from bassin_cms.workflow.security import aware, visible_to_public

# schema.org / DCMI types by our kind codes; anything else is a Text.
DC_TYPES = {
    "poster": "Image",
    "video-audio": "MovingImage",
    "carte-donnees": "Dataset",
    "index": "Dataset",
    "outil-numerique": "InteractiveResource",
}


class PublicCatalogue:
    def __init__(self, request):
        self.request = request
        self.dbsession = request.dbsession

    def _public(self, at=None):
        """What an anonymous visitor may open: the one rule's SQL form."""
        return visibility.clause("view", at=at, entity=Resource)

    def query(self, since=None, until=None, vocabulary=None, code=None, kind=None):
        """A select of the public resources, oldest change first (for paging)."""
        statement = select(Resource).where(self._public())
        if since is not None:
            statement = statement.where(Resource.modified >= since)
        if until is not None:
            statement = statement.where(Resource.modified <= until)
        if kind is not None:
            statement = statement.where(Resource.kind.has(Term.code == kind))
        if vocabulary is not None:
            term_ids = select(Term.id).where(Term.vocabulary == vocabulary, Term.code == code)
            statement = statement.where(
                Resource.id.in_(select(resource_terms.c.resource_id).where(resource_terms.c.term_id.in_(term_ids)))
            )
        return statement

    def page(self, statement, offset, limit):
        return list(
            self.dbsession.scalars(
                statement.order_by(Resource.modified, Resource.id)
                .offset(offset)
                .limit(limit)
                .options(selectinload(Resource.terms), selectinload(Resource.agents))
            )
        )

    def count(self, statement):
        return self.dbsession.scalar(select(func.count()).select_from(statement.subquery()))

    def latest(self, limit=30, vocabulary=None, code=None, kind=None):
        """The newest publications: by publication date (or creation)."""
        published = func.coalesce(Resource.effective, Resource.created)
        statement = self.query(vocabulary=vocabulary, code=code, kind=kind).order_by(
            published.desc(), Resource.id.desc()
        )
        return list(self.dbsession.scalars(statement.limit(limit).options(selectinload(Resource.terms))))

    def by_shortid(self, shortid):
        return self.dbsession.scalar(select(Resource).where(Resource.shortid == shortid, self._public()))

    def earliest_datestamp(self):
        return aware(self.dbsession.scalar(select(func.min(Resource.modified)).where(self._public())))

    def sets(self):
        """(spec, name) of the kinds and themes that have public resources."""
        used = (
            select(resource_terms.c.term_id)
            .join(Resource, Resource.id == resource_terms.c.resource_id)
            .where(self._public())
        )
        themes = self.dbsession.scalars(
            select(Term).where(Term.vocabulary == "theme", Term.id.in_(used)).order_by(Term.label)
        )
        kinds = self.dbsession.scalars(
            select(Term)
            .where(Term.vocabulary == "kind", Term.id.in_(select(Resource.kind_id).where(self._public())))
            .order_by(Term.label)
        )
        return [(f"kind:{t.code}", f"Type : {t.label}") for t in kinds] + [
            (f"theme:{t.code}", f"Thème : {t.label}") for t in themes
        ]

    def json_ld(self, resource, files=()):
        """The <script type="application/ld+json"> text of a resource page:
        its public notice, and its files when the public may download them."""
        full = visible_to_public(resource, "view_full")
        # Reserved: the public reads the notice, not the text and files.
        reserved = not full and visible_to_public(resource)
        data = schema_org(self.request, resource, files if full else (), reserved)
        # "</" would end the script element early.
        return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")

    def dublin_core(self, resource):
        """{element: [values]} in the order oai_dc lists them."""
        permalink = self.request.route_url("shortlink", shortid=resource.shortid, rest=())
        kind = resource.kind.code if resource.kind else ""
        return {
            "title": [resource.title],
            "creator": [a.name for a in resource.creators],
            "subject": [t.label for t in resource.terms if t.vocabulary in ("theme", "subject")],
            # The text only where the public may read it in full: the one rule
            # (the ACL) knows a restriction on any folder above, not only the
            # resource's own flag.
            "description": [
                x
                for x in (
                    resource.summary,
                    strip_tags(resource.body).strip() if visible_to_public(resource, "view_full") else "",
                )
                if x
            ][:1],
            "publisher": [resource.publisher] if resource.publisher else [],
            "contributor": [a.name for a in resource.contributors],
            "date": [partial_date_iso(resource.date_year, resource.date_month, resource.date_day)]
            if resource.date_year
            else [],
            "type": [DC_TYPES.get(kind, "Text")] + ([resource.kind.label] if resource.kind else []),
            "identifier": [permalink],
            "language": [resource.language] if resource.language else [],
            "coverage": [t.label for t in resource.terms if t.vocabulary == "territory"],
            "rights": [resource.rights] if resource.rights else [],
        }


# schema.org types by kind code: the CreativeWork subtype where one fits.
SCHEMA_ORG_TYPES = {
    "guide": "TechArticle",
    "index": "Dataset",
    "carte-donnees": "Dataset",
    "poster": "VisualArtwork",
    "dossier-revue": "Article",
    "etude": "Report",
    "rapport": "Report",
    "presse": "NewsArticle",
    "presentation": "PresentationDigitalDocument",
    "pedagogique": "LearningResource",
    "exposition": "ExhibitionEvent",
    "video-audio": "MediaObject",
    "outil-numerique": "WebSite",
    "plan-schema": "Map",
    "synthese": "CreativeWork",
    "convention": "DigitalDocument",
}


def schema_org(request, resource, files=(), reserved=False):
    """schema.org JSON-LD of a resource page (see PublicCatalogue.json_ld)."""
    kind = resource.kind.code if resource.kind else ""
    kind_type = SCHEMA_ORG_TYPES.get(kind, "CreativeWork")
    if kind_type == "ExhibitionEvent":  # an exhibition's material is a work, not the event itself
        kind_type = "CreativeWork"
    data = {
        "@context": "https://schema.org",
        "@type": kind_type,
        "@id": request.route_url("shortlink", shortid=resource.shortid, rest=()),
        "url": request.resource_url(resource),
        "name": resource.title,
        "inLanguage": resource.language or "fr",
        "publisher": {
            "@type": "Organization",
            "name": resource.publisher or "Mission Bassin Minier Nord-Pas de Calais",
        },
        "isAccessibleForFree": True,
    }
    if resource.summary:
        data["abstract" if kind_type != "Dataset" else "description"] = resource.summary
    if resource.date_year:
        data["datePublished"] = partial_date_iso(resource.date_year, resource.date_month, resource.date_day)
    if resource.modified:
        data["dateModified"] = aware(resource.modified).isoformat()
    for relation, key in (("creators", "author"), ("contributors", "contributor")):
        people = getattr(resource, relation)
        if people:
            # Whether a name is a person's or a body's is not recorded: no @type guessed.
            data[key] = [{"name": a.name} for a in people]
    about = [t.label for t in resource.terms if t.vocabulary == "theme"]
    if about:
        data["about"] = about
    places = [t.label for t in resource.terms if t.vocabulary == "territory"]
    if places:
        data["spatialCoverage"] = [{"@type": "Place", "name": p} for p in places]
    audiences = [t.label for t in resource.terms if t.vocabulary == "audience"]
    if audiences:
        data["audience"] = [{"@type": "Audience", "audienceType": a} for a in audiences]
    if resource.rights:
        data["license" if resource.rights.startswith("http") else "copyrightNotice"] = resource.rights
    if reserved:
        data["conditionsOfAccess"] = "Réservé aux partenaires de la Mission Bassin Minier"
    if files:
        key = "distribution" if kind_type == "Dataset" else "associatedMedia"
        data[key] = [
            {
                "@type": "DataDownload" if key == "distribution" else "MediaObject",
                "name": f.filename,
                "encodingFormat": f.blob.mime_type,
                "contentSize": str(f.blob.size),
                "contentUrl": request.resource_url(resource, "@@download", str(f.id), f.filename),
            }
            for f in files
        ]
    return data
