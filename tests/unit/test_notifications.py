import transaction
from pyramid_mailer.message import Message

from bassin_cms.workflow.notifications import AfterCommitDebugMailer


def test_debug_mailer_writes_only_after_commit(tmp_path):
    manager = transaction.TransactionManager(explicit=True)
    mailer = AfterCommitDebugMailer(str(tmp_path / "mail")).bind(transaction_manager=manager)
    message = Message(subject="À valider", sender="a@example.org", recipients=["b@example.org"], body="x")

    manager.begin()
    mailer.send(message)
    assert list((tmp_path / "mail").iterdir()) == []
    manager.abort()
    assert list((tmp_path / "mail").iterdir()) == []

    manager.begin()
    mailer.send(message)
    manager.commit()
    files = list((tmp_path / "mail").iterdir())
    assert len(files) == 1 and "b@example.org" in files[0].read_text()
