"""The ``bassin-cms`` command: everything an administrator does without a shell
session on the database. Each command runs in one transaction."""
import os
import sys
from contextlib import contextmanager

import click


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
            from pyramid.request import Request, apply_request_extensions
            from pyramid.threadlocal import RequestContext

            if not os.path.exists(self.config_uri):
                raise click.ClickException(f"Fichier de configuration introuvable : {self.config_uri}")
            setup_logging(self.config_uri)
            app = get_app(self.config_uri)
            settings = app.registry.settings
            request = Request.blank("/", base_url=settings.get("bassin.base_url", "http://localhost:6543"))
            request.registry = app.registry
            apply_request_extensions(request)
            RequestContext(request).begin()
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


pass_env = click.make_pass_decorator(Environment)


@click.group()
@click.option(
    "--config", "config_uri", default="development.ini", envvar="BASSIN_CONFIG",
    show_default=True, help="Fichier .ini de l'installation.",
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
    "--state", type=click.Choice(["published", "draft", "pending", "archived"]), default="published",
    show_default=True, help="État des ressources créées (celles qui existent gardent le leur).",
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
@click.option("--role", type=click.Choice(["administrator", "reviewer", "editor", "partner"]), default="editor", show_default=True)
@click.option("--name", default="", help="Nom affiché.")
@click.option("--password-stdin", is_flag=True, help="Lire le mot de passe sur l'entrée standard.")
@pass_env
def create_user(environment, email, role, name, password_stdin):
    """Create a user; the password is prompted for (or read from stdin)."""
    from bassin_cms.auth.services import UserError, UserService

    if password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Mot de passe", hide_input=True, confirmation_prompt=True)
    try:
        with environment.transaction() as request:
            user = UserService(request.dbsession).create(email, password, role=role, name=name)
            click.echo(f"Compte créé : {user.email} ({role}).")
    except UserError as exc:
        raise click.ClickException(str(exc)) from None


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
