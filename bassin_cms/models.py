"""Every domain's models, imported in one place for Alembic and mapper configuration."""

from sqlalchemy.orm import configure_mappers

from .auth.models import Group, GroupMember, LocalRole, LoginFailure, User  # noqa: F401
from .changes.models import Change, SiteVersion  # noqa: F401
from .content.models import (  # noqa: F401
    Agent,
    Document,
    Folder,
    Node,
    NodeRedirect,
    Resource,
    SiteState,
    Term,
    resource_terms,
)
from .db import Base  # noqa: F401
from .features.models import FeatureArticle, FeatureImage, FeatureResource, FeatureVerbatim  # noqa: F401
from .files.models import Blob, BlobPage, ResourceFile  # noqa: F401
from .gallery.models import AccessRequest, ImageResource, PressDownload, PressLink  # noqa: F401
from .guides.models import Contact, GuideChapter, GuideEdition, GuideLink, GuideResource  # noqa: F401
from .indexes.models import IndexEntry, IndexResource  # noqa: F401
from .posters.models import PosterResource  # noqa: F401
from .statistics.models import DailyCount, RecentHit  # noqa: F401
from .workflow.models import AuditEntry, WorkflowEntry  # noqa: F401

configure_mappers()
