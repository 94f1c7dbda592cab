"""``bassin-cms initdb``: migrations, then the minimum a site needs."""

import os

from alembic import command
from alembic.config import Config

from bassin_cms.content.models import Folder
from bassin_cms.content.services import ContentService
from bassin_cms.content.vocabularies import VocabularyService

ROOT_TITLE = "Centre de ressources"


def site_ini(base_ini, var, port, threads=4):
    """Write ``var``/site.ini: ``base_ini`` with its own database, files and
    index under ``var`` and its own port (browser tests, page benchmark)."""
    import configparser

    base_ini = os.path.abspath(base_ini)
    here = os.path.dirname(base_ini)
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(base_ini)
    ini = configparser.ConfigParser(interpolation=None)
    ini["app:main"] = {k: v.replace("%(here)s", here) for k, v in parser["app:main"].items()}
    ini["app:main"].update(
        {
            "sqlalchemy.url": f"sqlite:///{var}/bassin.sqlite",
            "bassin.var_dir": str(var),
            "bassin.files_dir": f"{var}/files",
            "bassin.index_dir": f"{var}/index",
            "pyramid.reload_templates": "false",
        }
    )
    ini["alembic"] = {k: v.replace("%(here)s", here) for k, v in parser["alembic"].items()}
    ini["server:main"] = {"use": "egg:waitress#main", "listen": f"127.0.0.1:{port}", "threads": str(threads)}
    path = os.path.join(str(var), "site.ini")
    with open(path, "w") as fp:
        ini.write(fp)
    return path


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
    backend = environment.env["registry"]["search_backend"]
    if backend.ensure():
        yield "Index de recherche créé."
    elif backend.outdated():
        from bassin_cms.search.indexing import Indexer

        count = Indexer(environment.env["registry"]).rebuild()
        yield f"Index de recherche reconstruit pour la nouvelle version du code ({count} documents)."
    with environment.transaction() as request:
        yield from seed(request.dbsession)
