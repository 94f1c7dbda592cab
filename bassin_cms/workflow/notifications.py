"""E-mail about the validation circuit, sent only once the transaction commits.

``bassin.mailer`` chooses the mailer: ``debug`` (development: one .eml file per
message under var/mail), ``smtp`` (production: pyramid_mailer with the mail.*
settings of the .ini) or ``testing`` (messages kept in memory for the tests).
"""

import os

from pyramid_mailer.mailer import DebugMailer
from pyramid_mailer.message import Message


class AfterCommitDebugMailer(DebugMailer):
    """DebugMailer writes at once; this one waits for the commit, like SMTP does."""

    def __init__(self, directory, transaction_manager=None):
        super().__init__(directory)
        self.transaction_manager = transaction_manager

    def bind(self, transaction_manager=None, **kw):
        return AfterCommitDebugMailer(self.tld, transaction_manager)

    def send(self, message):
        if self.transaction_manager is None:
            return self._send(message)
        self.transaction_manager.get().addAfterCommitHook(lambda committed: committed and self._send(message))


def configure_mailer(config):
    settings = config.get_settings()
    kind = settings.get("bassin.mailer", "debug")
    if kind == "testing":
        config.include("pyramid_mailer.testing")
    elif kind == "smtp":
        config.include("pyramid_mailer")
    else:
        from pyramid_mailer import _set_mailer

        directory = settings.get("mail.top_level_directory") or os.path.join(settings["bassin.var_dir"], "mail")
        _set_mailer(config, AfterCommitDebugMailer(directory))


SUBJECTS = {
    "submit": "[Centre de ressources] À valider : {title}",
    "publish": "[Centre de ressources] Publié : {title}",
    "send_back": "[Centre de ressources] Renvoyé en brouillon : {title}",
}


def message_for(request, transition, node, recipients, actor_name, comment):
    url = request.resource_url(node)
    lines = {
        "submit": [
            f"{actor_name} a soumis « {node.title} » à validation.",
            "",
            f"Relire et publier : {url}",
            f"File de validation : {request.route_url('review')}",
        ],
        "publish": [f"« {node.title} » a été publié par {actor_name}.", "", f"Adresse : {url}"],
        "send_back": [
            f"{actor_name} a renvoyé « {node.title} » en brouillon.",
            "",
            "Motif :",
            comment,
            "",
            f"Corriger : {url}@@edit",
        ],
    }[transition]
    if transition == "publish" and node.effective:
        lines.insert(1, f"Mise en ligne programmée le {node.effective:%d/%m/%Y à %H:%M}.")
    return Message(
        subject=SUBJECTS[transition].format(title=node.title),
        sender=request.registry.settings.get("mail.default_sender", "ressources@missionbassinminier.org"),
        recipients=[u.email for u in recipients],
        body="\n".join(lines) + "\n",
    )
