"""SQLite, the development default, under simultaneous writes from one server
process with eight threads: simultaneous logins all work, eight saves of one
resource give one success and seven conflict pages that keep what was typed,
and the reviewer who publishes second is told who published first."""

import re
import threading

import pytest
import webtest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from bassin_cms.content.models import Document, Folder
from bassin_cms.content.services import ContentService
from tests.conftest import PASSWORD, text_of
from tests.servers import HTTPProxy, Server, cli, make_site

pytestmark = pytest.mark.skipif(
    __import__("os").environ.get("BASSIN_TEST_DATABASE_URL") is not None,
    reason="about the SQLite default; PostgreSQL's own locking is the production case",
)

EDITORS = 8
PATH = "/ressources/etude-des-cites/"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var = tmp_path_factory.mktemp("concurrency")
    ini = make_site(var, threads=EDITORS)
    for n in range(EDITORS):
        cli(
            ini,
            "create-user",
            f"editor{n}@example.org",
            "--role",
            "reviewer",
            "--name",
            f"Relecteur {n}",
            stdin=PASSWORD + "\n",
        )
    engine = create_engine(f"sqlite:///{var}/bassin.sqlite")
    with Session(bind=engine) as session:
        content = ContentService(session)
        folder = content.create(content.root(), Folder, title="Ressources")
        content.create(folder, Document, title="Étude des cités", state="published")
        content.create(folder, Document, title="Étude des corons", state="pending")
        session.commit()
    engine.dispose()
    with Server(ini) as running:
        yield running


def at_once(actions):
    """Run the callables together (each in its thread, released at the same
    moment); their results in order."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(index, action):
        barrier.wait()
        try:
            results[index] = action()
        except Exception as exc:  # noqa: BLE001 - the test looks at it
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def visitors(server):
    return [webtest.TestApp(HTTPProxy(server.url)) for _ in range(EDITORS)]


def logged_in(server):
    people = visitors(server)
    forms = []
    for n, person in enumerate(people):
        form = person.get("/login").forms["login"]
        form["email"], form["password"] = f"editor{n}@example.org", PASSWORD
        forms.append(form)
    answers = at_once([lambda form=form: form.submit("login", expect_errors=True) for form in forms])
    return people, answers


def test_simultaneous_logins_all_work(server):
    people, answers = logged_in(server)
    assert [a.status_int for a in answers] == [303] * EDITORS, [getattr(a, "text", a)[:300] for a in answers]
    for n, person in enumerate(people):
        assert f"Relecteur {n}" in text_of(person.get("/"))


def test_eight_saves_of_one_resource_give_one_success_and_seven_conflicts_that_keep_the_text(server):
    people, _answers = logged_in(server)
    forms = []
    for n, person in enumerate(people):
        form = person.get(PATH + "@@edit").forms["deform"]
        form["summary"] = f"Résumé tapé par le relecteur {n}."
        forms.append(form)
    answers = at_once([lambda form=form: form.submit("save", expect_errors=True) for form in forms])
    statuses = [a.status_int for a in answers]
    assert sorted(statuses) == [303] + [409] * (EDITORS - 1), statuses
    for n, answer in enumerate(answers):
        if answer.status_int == 409:
            assert "Quelqu'un a modifié cette ressource" in text_of(answer)
            assert answer.forms["deform"]["summary"].value == f"Résumé tapé par le relecteur {n}."
    winner = statuses.index(303)
    assert f"Résumé tapé par le relecteur {winner}." in text_of(people[0].get(PATH))


def test_the_second_reviewer_to_publish_is_told_who_did_it_first(server):
    people, _answers = logged_in(server)
    pages = [person.get("/ressources/etude-des-corons/@@transition/publish") for person in people[:2]]
    forms = [page.forms["transition"] for page in pages]
    answers = at_once([lambda form=form: form.submit("confirm", expect_errors=True) for form in forms])
    statuses = sorted(a.status_int for a in answers)
    assert statuses == [303, 409], [a.text[:300] for a in answers]
    loser = next(a for a in answers if a.status_int == 409)
    winner = next(n for n, a in enumerate(answers) if a.status_int == 303)
    message = text_of(loser)
    assert "n'est plus possible" in message and f"publié par Relecteur {winner}" in message
    assert re.search(r"le \d\d/\d\d/\d{4} à \d\d:\d\d", message)


def test_eight_simultaneous_first_views_from_one_network_are_pages_not_errors(server):
    """A class opening the same resource at once: one address, one browser,
    no session. The view counter's insert-or-nothing never fails."""
    people = visitors(server)
    answers = at_once(
        [lambda person=person: person.get("/ressources/etude-des-cites/", expect_errors=True) for person in people]
    )
    assert [a.status_int for a in answers] == [200] * EDITORS
