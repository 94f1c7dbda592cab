"""What the press space lists: through the one visibility rule."""

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from bassin_cms.content.models import Resource, Term
from bassin_cms.guides.models import Contact
from bassin_cms.workflow.visibility import visible_clause

from . import RELEASE_KIND, REVIEW_KIND

LATEST = 12


class PressService:
    def __init__(self, request):
        self.request = request
        self.dbsession = request.dbsession

    def _of_kind(self, code):
        kind = select(Term.id).where(Term.vocabulary == "kind", Term.code == code).scalar_subquery()
        visible = select(Resource.id).where(visible_clause(self.request, "view")).correlate(None)
        # The date the document bears first (a release of March 2023), then publication.
        return (
            select(Resource)
            .where(Resource.kind_id == kind, Resource.id.in_(visible))
            .order_by(
                Resource.date_year.desc().nulls_last(),
                func.coalesce(Resource.date_month, 0).desc(),
                func.coalesce(Resource.date_day, 0).desc(),
                func.coalesce(Resource.effective, Resource.created).desc(),
                Resource.id.desc(),
            )
            .options(selectinload(Resource.terms))
        )

    def releases(self, limit=LATEST):
        """The newest press releases and kits the visitor may see."""
        return list(self.dbsession.scalars(self._of_kind(RELEASE_KIND).limit(limit)))

    def reviews_by_year(self):
        """[(year or None, [review])], newest year first."""
        years = {}
        for review in self.dbsession.scalars(self._of_kind(REVIEW_KIND)):
            years.setdefault(review.date_year, []).append(review)
        return sorted(years.items(), key=lambda item: -(item[0] or 0))

    def contact(self):
        """The press office, a contact of the directory (/admin/contacts) whose
        name the .ini gives (``bassin.press_contact``); None if there is none."""
        name = self.request.registry.settings.get("bassin.press_contact", "").strip()
        if not name:
            return None
        return self.dbsession.scalar(select(Contact).where(Contact.name == name))
