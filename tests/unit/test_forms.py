"""forms.handle_form_submission, the one way a posted form is handled: what
it returns, what it keeps, when it dooms the transaction. No live site: a
dummy request and deform's own templates."""

import colander
import deform
import pytest
import transaction
from pyramid import testing
from webob.multidict import MultiDict

from bassin_cms.forms import handle_form_submission
from bassin_cms.i18n import Refusal


class Schema(colander.Schema):
    title = colander.SchemaNode(colander.String(), title="Titre")
    place = colander.SchemaNode(colander.String(), title="Lieu", missing="")


class Taken(Refusal):
    field = "title"


class Conflict(Refusal):
    status = 409


@pytest.fixture
def request_():
    testing.setUp()
    request = testing.DummyRequest(post=MultiDict())
    request.tm = transaction.TransactionManager(explicit=True)
    request.tm.begin()
    yield request
    request.tm.abort()
    testing.tearDown()


def post(request, **fields):
    request.POST = MultiDict([("__formid__", "deform"), *fields.items()])
    return deform.Form(Schema(), buttons=("save",))


def test_a_valid_form_calls_the_service_and_returns_its_answer(request_):
    form = post(request_, title="Étude des cités", place="Lens")
    answer, html = handle_form_submission(request_, form, lambda appstruct: ("saved", appstruct))
    assert answer == ("saved", {"title": "Étude des cités", "place": "Lens"}) and html is None
    assert not request_.tm.isDoomed()


def test_an_invalid_form_comes_back_with_what_was_typed_and_never_calls_the_service(request_):
    called = []
    form = post(request_, title="", place="Loos-en-Gohelle")
    answer, html = handle_form_submission(request_, form, called.append)
    assert answer is None and called == []
    assert "Loos-en-Gohelle" in html and form["title"].error is not None


def test_a_refusal_dooms_the_transaction_answers_400_and_shows_why_beside_its_field(request_):
    def refuse(appstruct):
        raise Taken("Ce titre est déjà pris.")

    form = post(request_, title="Fosse 12", place="Loos")
    answer, html = handle_form_submission(request_, form, refuse)
    assert answer is None and request_.tm.isDoomed() and request_.response.status_int == 400
    assert "Ce titre est déjà pris." in html and 'value="Fosse 12"' in html and 'value="Loos"' in html
    assert form["title"].error is not None  # beside the field it names


def test_a_refusal_keeps_its_own_status_and_may_render_the_form_itself(request_):
    def conflict(appstruct):
        raise Conflict("Modifié entre-temps par Paul.")

    form = post(request_, title="Fosse 12")
    answer, html = handle_form_submission(request_, form, conflict, on_failure=lambda refusal, a: f"{refusal.message}!")
    assert (answer, html) == (None, "Modifié entre-temps par Paul.!")
    assert request_.response.status_int == 409 and request_.tm.isDoomed()
