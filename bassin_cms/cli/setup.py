"""``bassin-cms initdb``: migrations, then the minimum a site needs."""
import os

from alembic import command
from alembic.config import Config

from bassin_cms.content.models import Folder
from bassin_cms.content.services import ContentService
from bassin_cms.content.vocabularies import VocabularyService

ROOT_TITLE = "Centre de ressources"


def alembic_config(config_uri):
    config = Config(config_uri)
    config.set_main_option("here", os.path.dirname(os.path.abspath(config_uri)))
    return config


def migrate(config_uri, connection=None):
    config = alembic_config(config_uri)
    if connection is not None:
        config.attributes["connection"] = connection
    command.upgrade(config, "head")


def seed(dbsession):
    """Root folder and vocabularies; returns what it did, as lines."""
    lines = []
    content = ContentService(dbsession)
    if content.root() is None:
        content.create(None, Folder, title=ROOT_TITLE, name="", shortid="accueil")
        lines.append("Dossier racine créé.")
    added = VocabularyService(dbsession).seed()
    lines.append(f"Vocabulaires : {added} termes ajoutés.")
    return lines


def initialise(environment):
    migrate(environment.config_uri)
    yield "Base de données à jour (alembic upgrade head)."
    with environment.transaction() as request:
        yield from seed(request.dbsession)
