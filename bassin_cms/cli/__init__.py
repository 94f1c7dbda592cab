"""The ``bassin-cms`` command: everything an administrator does without a shell
session on the database. Each command runs in one transaction."""

import os
import sys
from contextlib import contextmanager

import click

from bassin_cms.names import LOCAL_ROLES, SITE_ROLES, State


def script_request(registry, base_url="http://localhost:6543", thread_local=True):
    """A request for work outside HTTP (commands, benchmarks): the app's request
    methods (dbsession, services...) and, for a whole command, the
    current-request thread local (deform's translator reads it)."""
    from pyramid.request import Request, apply_request_extensions
    from pyramid.threadlocal import RequestContext

    from bassin_cms.db import WRITE_OPTION

    request = Request.blank("/", base_url=base_url)
    request.environ[WRITE_OPTION] = True  # a command's transaction writes (db.py)
    request.registry = registry
    apply_request_extensions(request)
    if thread_local:
        RequestContext(request).begin()
    return request


class Environment:
    def __init__(self, config_uri):
        self.config_uri = config_uri
        self._env = None

    @property
    def env(self):
        """The app's registry and a request bound to it. Not pyramid's bootstrap():
        that calls the root factory, which needs the database, outside any
        transaction."""
        if self._env is None:
            from pyramid.paster import get_app, setup_logging

            from bassin_cms.public_url import public_url_of

            if not os.path.exists(self.config_uri):
                raise click.ClickException(f"Fichier de configuration introuvable : {self.config_uri}")
            setup_logging(self.config_uri)
            os.environ["BASSIN_WORKER_THREAD"] = "off"  # commands drain the outbox themselves
            app = get_app(self.config_uri)
            request = script_request(app.registry, public_url_of(app.registry.settings))
            self._env = {"app": app, "registry": app.registry, "request": request}
        return self._env

    @property
    def settings(self):
        return self.env["registry"].settings

    @contextmanager
    def transaction(self):
        """request.dbsession inside a transaction committed on success, aborted on
        an error or when doomed (dry runs)."""
        request = self.env["request"]
        manager = request.tm
        manager.begin()
        request.dbsession.info["cli"] = True  # the audit log says "command line"
        try:
            yield request
        except BaseException:
            manager.abort()
            raise
        if manager.isDoomed():
            manager.abort()
        else:
            manager.commit()
            # A command waits for what its changes need (the index), rather
            # than leaving it to a server that may not be running.
            self.env["registry"]["outbox_worker"].drain(timeout=600)


pass_env = click.make_pass_decorator(Environment)


@click.group()
@click.option(
    "--config",
    "config_uri",
    default="development.ini",
    envvar="BASSIN_CONFIG",
    show_default=True,
    help="Fichier .ini de l'installation.",
)
@click.pass_context
def main(ctx, config_uri):
    """Administration du centre de ressources bassin_cms."""
    ctx.obj = Environment(config_uri)


@main.command()
@pass_env
def initdb(environment):
    """Create or upgrade the database schema, then add the root folder and the
    starting vocabularies (only what is missing)."""
    from .setup import initialise

    for line in initialise(environment):
        click.echo(line)


@main.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Analyse et rapport, sans rien enregistrer.")
@click.option(
    "--state",
    type=click.Choice([s.value for s in (State.PUBLISHED, State.DRAFT, State.PENDING, State.ARCHIVED)]),
    default="published",
    show_default=True,
    help="État des ressources créées (celles qui existent gardent le leur).",
)
@pass_env
def import_command(environment, path, dry_run, state):
    """Import the legacy catalogue (JSON); prints what it could not map."""
    from bassin_cms.content.legacy import CatalogueError, LegacyImporter, load_catalogue

    try:
        entries = load_catalogue(path)
    except CatalogueError as exc:
        raise click.ClickException(str(exc)) from None
    with environment.transaction() as request:
        importer = LegacyImporter(request.dbsession)
        with click.progressbar(length=len(entries), label="Import", file=sys.stderr) as bar:
            report = importer.run(entries, dry_run=dry_run, progress=bar.update, state=state)
        if dry_run:
            request.tm.doom()
    for line in report.lines():
        click.echo(line)
    if dry_run:
        click.echo("Essai à blanc : rien n'a été enregistré.")


@main.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([str(r) for r in SITE_ROLES]), default="editor", show_default=True)
@click.option("--name", default="", help="Nom affiché.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Dernier jour du rôle (journaliste).")
@click.option("--password-stdin", is_flag=True, help="Lire le mot de passe sur l'entrée standard.")
@pass_env
def create_user(environment, email, role, name, until, password_stdin):
    """Create a user; the password is prompted for (or read from stdin)."""
    from bassin_cms.auth.services import UserError, UserService

    if password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Mot de passe", hide_input=True, confirmation_prompt=True)
    try:
        with environment.transaction() as request:
            user = UserService(request.dbsession).create(email, password, role=role, name=name)
            user.role_ends = until.date() if until else None
            click.echo(f"Compte créé : {user.email} ({role}{f' jusqu’au {until:%d/%m/%Y}' if until else ''}).")
    except UserError as exc:
        raise click.ClickException(str(exc)) from None


def _user(request, email):
    from bassin_cms.auth.services import UserService

    user = UserService(request.dbsession).by_email(email)
    if user is None:
        raise click.ClickException(f"Aucun compte pour {email}")
    return user


@main.command("users")
@pass_env
def users_command(environment):
    """List the accounts: e-mail, role, active, groups."""
    from bassin_cms.auth.services import GroupService, UserService

    with environment.transaction() as request:
        groups = {g.id: g.name for g in GroupService(request.dbsession).all()}
        service = GroupService(request.dbsession)
        for user in UserService(request.dbsession).all():
            member_of = ",".join(groups[g] for g in service.group_ids_of(user.id))
            click.echo(f"{user.email}\t{user.role}\t{'actif' if user.active else 'inactif'}\t{member_of}")


@main.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([str(r) for r in SITE_ROLES]))
@pass_env
def set_role(environment, email, role):
    """Change the site-wide role of an account."""
    with environment.transaction() as request:
        _user(request, email).role = role
    click.echo(f"{email} : {role}")


def _set_active(environment, email, active):
    with environment.transaction() as request:
        _user(request, email).active = active
    click.echo(f"{email} : {'activé' if active else 'désactivé'}")


@main.command("deactivate")
@click.argument("email")
@pass_env
def deactivate(environment, email):
    """Close an account (its content and history stay)."""
    _set_active(environment, email, False)


@main.command("activate")
@click.argument("email")
@pass_env
def activate(environment, email):
    """Reopen a closed account."""
    _set_active(environment, email, True)


@main.command("create-group")
@click.argument("name")
@click.option("--title", default="")
@pass_env
def create_group(environment, name, title):
    from bassin_cms.auth.services import GroupService, UserError

    try:
        with environment.transaction() as request:
            GroupService(request.dbsession).create(name, title)
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Groupe créé : {name}")


@main.command("add-to-group")
@click.argument("group")
@click.argument("email")
@pass_env
def add_to_group(environment, group, email):
    from bassin_cms.auth.services import GroupService

    with environment.transaction() as request:
        service = GroupService(request.dbsession)
        found = service.by_name(group)
        if found is None:
            raise click.ClickException(f"Groupe inconnu : {group}")
        service.add_member(found, _user(request, email))
    click.echo(f"{email} ajouté à {group}")


@main.command("grant")
@click.argument("path")
@click.option("--user", "email", help="Adresse du compte.")
@click.option("--group", help="Nom du groupe.")
@click.option("--role", type=click.Choice([str(r) for r in LOCAL_ROLES]), required=True)
@pass_env
def grant(environment, path, email, group, role):
    """Give a role on a folder (and what it contains) to a user or a group."""
    from bassin_cms.auth.services import GroupService, LocalRoleService
    from bassin_cms.content.services import ContentService

    if bool(email) == bool(group):
        raise click.UsageError("Indiquez --user ou --group (l'un des deux).")
    with environment.transaction() as request:
        node = ContentService(request.dbsession).by_path(path)
        if node is None:
            raise click.ClickException(f"Aucun contenu à l'adresse {path}")
        if email:
            principal = f"user:{_user(request, email).id}"
        else:
            found = GroupService(request.dbsession).by_name(group)
            if found is None:
                raise click.ClickException(f"Groupe inconnu : {group}")
            principal = f"group:{found.id}"
        LocalRoleService(request.dbsession).grant(node.id, principal, role)
    click.echo(f"{role} sur {path} : {email or group}")


@main.command("reindex")
@pass_env
def reindex(environment):
    """Rebuild the search index from the database (beside the old one, then
    swapped), with what was committed meanwhile; interrupted, it stops its
    helper processes and keeps the old index."""
    import signal

    from sqlalchemy import func, select

    from bassin_cms.content.models import Resource
    from bassin_cms.search.indexing import Indexer

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    with environment.transaction() as request:
        total = request.dbsession.scalar(select(func.count()).select_from(Resource))
    indexer = Indexer(environment.env["registry"])
    try:
        with click.progressbar(length=total, label="Indexation", file=sys.stderr) as bar:
            count = indexer.rebuild(progress=bar.update)
    except KeyboardInterrupt:
        raise click.ClickException("Réindexation interrompue : l'index précédent est conservé.") from None
    click.echo(f"{total} ressources indexées ({count} documents, pages comprises).")


@main.command("copy-files")
@click.argument("target_config")
@pass_env
def copy_files(environment, target_config):
    """Copy every stored object (files, thumbnails, previews, generated PDFs)
    from this installation's blob store to the one TARGET_CONFIG's .ini names
    (moving from a directory to S3, or back); what the target already holds
    with the same size is left. Then `check` with the target's .ini."""
    from pyramid.paster import get_appsettings

    from bassin_cms.files.storage import store_from_settings

    if not os.path.exists(target_config):
        raise click.ClickException(f"Fichier de configuration introuvable : {target_config}")
    source = environment.env["registry"]["blob_storage"]
    try:
        target = store_from_settings(get_appsettings(target_config))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"de : {source.describe()}\nvers : {target.describe()}")
    seen = []

    def progress(key):
        seen.append(key)
        if len(seen) % 500 == 0:
            click.echo(f"… {len(seen)} objets vus", err=True)

    copied, present = source.copy_to(target, progress=progress)
    click.echo(f"{copied} objets copiés, {present} déjà présents.")


@main.command("reprocess-files")
@click.option("--all", "every", is_flag=True, help="Tous les fichiers, pas seulement ceux en échec.")
@pass_env
def reprocess_files(environment, every):
    """Queue the file work again (text, thumbnails, previews): for the files
    whose processing failed or was found damaged, or with --all for every
    PDF and image (after a change of the extraction); the worker does it."""
    from sqlalchemy import select, update

    from bassin_cms.changes.models import Change
    from bassin_cms.files.models import PENDING, Blob, ResourceFile

    states = ("failed", "damaged", "ok") if every else ("failed", "damaged")
    with environment.transaction() as request:
        session = request.dbsession
        shas = list(session.scalars(select(Blob.sha256).where(Blob.extraction.in_(states))))
        session.execute(update(Blob).where(Blob.sha256.in_(shas)).values(extraction=PENDING))
        nodes = set(session.scalars(select(ResourceFile.node_id).where(ResourceFile.sha256.in_(shas))))
        session.add_all(Change(topic="files", node_id=node_id) for node_id in sorted(nodes))
    click.echo(f"{len(shas)} fichiers remis en traitement ({len(nodes)} ressources).")


@main.command("worker")
@click.option("--once", is_flag=True, help="Appliquer ce qui est en attente, puis s'arrêter.")
@pass_env
def worker(environment, once):
    """Apply the change outbox (search index, ...) until stopped: the
    production worker (set bassin.worker = external in the web servers)."""
    import signal
    import threading

    outbox = environment.env["registry"]["outbox_worker"]
    if once:
        outbox.drain(timeout=3600, retry_failed=True)
        click.echo("File des changements appliquée.")
        return
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    outbox.start()
    click.echo(f"Worker démarré (toutes les {outbox.poll_seconds:g} s).")
    while not stop.wait(1.0):
        pass
    outbox.stop()
    click.echo("Worker arrêté.")


@main.command("check")
@click.option(
    "--files", "list_orphans", is_flag=True, help="Lister aussi les fichiers stockés qu'aucune ressource ne cite."
)
@click.option(
    "--quick", is_flag=True, help="Vérifier la présence et la taille des fichiers, sans recalculer leur sha256."
)
@pass_env
def check(environment, list_orphans, quick):
    """Report what is out of step: the search index (unreadable, missing,
    drifting), the change outbox (pending, failed) and the files (missing,
    altered; orphans with --files). Exit 1 if anything is wrong."""
    from sqlalchemy.orm import Session

    from bassin_cms.changes.worker import outbox_report
    from bassin_cms.files.services import FileService
    from bassin_cms.search.index import IndexUnavailable, IndexVersionError
    from bassin_cms.search.indexing import Indexer

    registry = environment.env["registry"]
    problems = 0
    index_problem = registry["search_backend"].verify()
    if index_problem:
        click.echo(f"index de recherche : {index_problem} — lancez `bassin-cms reindex`.")
        problems += 1
    else:
        try:
            report = Indexer(registry).check()
        except (IndexVersionError, IndexUnavailable) as exc:
            click.echo(f"index de recherche : {exc}")
            problems += 1
        else:
            click.echo(f"base : {report['database']} ressources ; index : {report['index']}")
            for key, label in (
                ("missing", "absentes de l'index"),
                ("stale", "périmées dans l'index"),
                ("orphaned", "dans l'index mais plus en base"),
            ):
                ids = report[key]
                click.echo(f"{label} : {len(ids)}" + (f" (ids {_ids(ids)})" if ids else ""))
            if report["missing"] or report["stale"] or report["orphaned"]:
                click.echo(
                    "Lancez `bassin-cms reindex` pour réparer "
                    "(ou attendez le worker si des changements sont en attente)."
                )
                problems += 1
    with Session(bind=registry["dbengine"]) as session:
        outbox = outbox_report(session)
    click.echo(
        f"changements en attente : {outbox['pending']}"
        + (f" (le plus ancien du {outbox['oldest_pending']:%Y-%m-%d %H:%M:%S})" if outbox["oldest_pending"] else "")
    )
    click.echo(f"changements en échec : {outbox['failed_count']}")
    for row_id, topic, node_id, attempts, error in outbox["failed"]:
        click.echo(
            f"  n° {row_id} {topic} {node_id or ''} : {attempts} essai(s) — {error.splitlines()[0] if error else ''}"
        )
    if outbox["failed_count"]:
        problems += 1
    click.echo(f"stockage des fichiers : {registry['blob_storage'].describe()}")
    with Session(bind=registry["dbengine"]) as session:
        files = FileService(session, registry["blob_storage"])
        damaged = files.verify_all(hash_bytes=not quick)
        orphans = files.orphans() if list_orphans else []
    click.echo(f"fichiers manquants ou altérés : {len(damaged)}")
    for sha256, names, problem in damaged[:50]:
        click.echo(f"  {sha256} ({', '.join(names) or 'sans ressource'}) : {problem}")
    if damaged:
        problems += 1
    if list_orphans:
        click.echo(f"fichiers stockés sans ressource : {len(orphans)}")
        for sha256 in orphans[:50]:
            click.echo(f"  {sha256}")
    if problems:
        sys.exit(1)


def _ids(ids, limit=20):
    return ", ".join(map(str, ids[:limit])) + ("…" if len(ids) > limit else "")


@main.command("publish-due")
@pass_env
def publish_due(environment):
    """Fire the transitions the calendar asks for (run it from cron every few
    minutes): published resources past their unpublication date are archived,
    with history and audit entries as if a reviewer had done it."""
    with environment.transaction() as request:
        done = request.workflow.due()
        for node in done:
            click.echo(f"archivé : {node.path}")
    click.echo(f"{len(done)} ressource(s) traitée(s).")


@main.command("load-demo")
@click.option("--force", is_flag=True, help="Recharger même si la démonstration est déjà chargée.")
@pass_env
def load_demo(environment, force):
    """Load the demo content once: the legacy catalogue and the five reports as PDF."""
    from .demo import DemoError, load

    try:
        for line in load(environment, force=force):
            click.echo(line)
    except DemoError as exc:
        raise click.ClickException(str(exc)) from None
