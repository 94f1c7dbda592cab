"""Issue 3's journey, through the pages, with the mails it sends."""

import pytest
from pyramid_mailer.interfaces import IMailer

from tests.conftest import login
from tests.functional.test_editing_journey import add_document, add_folder


@pytest.fixture
def outbox(app):
    mailer = app.registry.queryUtility(IMailer)
    mailer.outbox.clear()
    return mailer.outbox


TRANSITION_BY_LABEL = {
    "Soumettre à validation": "submit",
    "Publier": "publish",
    "Retirer de la publication": "retract",
    "Archiver": "archive",
    "Restaurer (republier)": "restore",
}


def press(testapp, url, label):
    """Click the transition button labelled ``label`` on the resource page."""
    page = testapp.get(url)
    name = TRANSITION_BY_LABEL[label]
    form = next(f for f in page.forms.values() if f.action.endswith("@@transition/" + name))
    assert label in page.text
    return form.submit("confirm")


def test_submit_send_back_resubmit_publish(testapp, make_user, outbox):
    editor = make_user("editor", email="claire@example.org")
    reviewer = make_user("reviewer", email="valideur@example.org")
    login(testapp, editor.email)
    add_folder(testapp, "/", "Guides")
    add_document(testapp, "/guides/", "Des travaux pour ma maison des mines", filename=None)
    url = "/guides/des-travaux-pour-ma-maison-des-mines/"

    page = testapp.get(url)
    assert "Brouillon" in page.text
    submitted = press(testapp, url, "Soumettre à validation").follow()
    assert "En validation" in submitted.text
    assert len(outbox) == 1
    assert outbox[0].recipients == ["valideur@example.org"]
    assert "À valider : Des travaux pour ma maison des mines" in outbox[0].subject
    assert "http://example.com" + url in outbox[0].body

    # The reviewer finds it in the queue and sends it back with a reason.
    testapp.reset()
    login(testapp, reviewer.email)
    queue = testapp.get("/review")
    assert "Des travaux pour ma maison des mines" in queue.text
    form = testapp.get(url + "@@transition/send_back").forms["transition"]
    missing_reason = form.submit("confirm")
    assert "Ce champ est obligatoire." in missing_reason.text  # a reason is mandatory
    form = missing_reason.forms["transition"]
    form["comment"] = "Ajouter les contacts de l'UDAP et la date de l'édition."
    form.submit("confirm").follow()
    assert outbox[-1].recipients == ["claire@example.org"]
    assert "Ajouter les contacts de l'UDAP" in outbox[-1].body

    # The author sees the reason on her page, fixes and resubmits.
    testapp.reset()
    login(testapp, editor.email)
    mine = testapp.get("/mes-contenus")
    assert "Renvoyé en brouillon, motif" in mine.text
    assert "Ajouter les contacts de l'UDAP et la date de l'édition." in mine.text
    form = testapp.get(url + "@@edit").forms["deform"]
    form["summary"] = "Guide pour les propriétaires. Contacts : UDAP du Pas-de-Calais."
    saved = form.submit("save")
    assert saved.status_int == 303, saved.html.select_one("#deform-errors")
    saved.follow()
    again = press(testapp, url, "Soumettre à validation")
    assert again.status_int == 303, again.html.select_one("#transition-errors")
    again.follow()

    # The reviewer publishes; an anonymous visitor now sees it.
    testapp.reset()
    login(testapp, reviewer.email)
    published = press(testapp, url, "Publier").follow()
    assert "Publié" in published.text
    assert outbox[-1].recipients == ["claire@example.org"] and "Publié" in outbox[-1].subject
    assert len(outbox) == 4

    testapp.reset()
    public = testapp.get(url)
    assert "<h1>Des travaux pour ma maison des mines</h1>" in public.text
    assert "Historique de validation" not in public.text  # history is for staff
    assert "Des travaux pour ma maison des mines" in testapp.get("/guides/").text

    login(testapp, editor.email)
    history = testapp.get(url).html.select(".history-list li")
    steps = [li.get_text(" ", strip=True) for li in history]
    assert len(steps) == 4
    assert "soumis à validation" in steps[0] and "Editor" in steps[0]
    assert "renvoyé en brouillon" in steps[1] and "contacts de l'UDAP" in steps[1]
    assert "soumis à validation" in steps[2]
    assert "publié" in steps[3] and "Reviewer" in steps[3]
