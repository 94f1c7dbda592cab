"""The Feature kind: a dossier published in a review (D'A n°312), its ordered
articles with verbatims and credited images, read online and as a PDF; the
review's rights may keep the full text for partners."""

from bassin_cms.content.registry import ContentType
from bassin_cms.i18n import _

from .models import FeatureArticle, FeatureImage, FeatureResource, FeatureVerbatim
from .schemas import apply_feature, feature_appstruct, feature_schema, publish_check
from .services import FeatureRuleError, FeatureService

__all__ = ["FeatureArticle", "FeatureImage", "FeatureResource", "FeatureRuleError", "FeatureService", "FeatureVerbatim"]


def includeme(config):
    config.add_request_method(lambda r: FeatureService(r), "feature_service", reify=True)
    config.add_content_type(
        ContentType(
            name="feature",
            cls=FeatureResource,
            title=_("Dossier de revue"),
            schema=feature_schema,
            addable_to=("folder",),
            apply=apply_feature,
            appstruct=feature_appstruct,
            publish_check=publish_check,
            description=_("Dossier publié dans une revue : articles, verbatims, images légendées et créditées, PDF."),
        )
    )
    config.scan(".views")
