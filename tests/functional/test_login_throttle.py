"""Finding 15 of the security review: 30 wrong passwords, then the right one,
logged in. Repeated failures now slow the account and the address down,
with a message, and are forgotten after a while: nobody is locked out."""

import datetime as dt

from tests.conftest import PASSWORD, login


def attempt(testapp, email, password):
    form = testapp.get("/login").forms["login"]
    form["email"], form["password"] = email, password
    return form.submit("login", expect_errors=True)


def test_guessing_is_slowed_down_and_the_right_password_waits_its_turn(testapp, make_user, monkeypatch):
    user = make_user("editor", email="claire@example.org")
    for _ in range(5):  # a few typos cost nothing
        assert attempt(testapp, user.email, "wrong password").status_int == 200
    for _ in range(25):
        attempt(testapp, user.email, "wrong password")
    refused = attempt(testapp, user.email, PASSWORD)
    assert refused.status_int == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Trop de tentatives de connexion" in refused.text
    assert refused.forms["login"]["email"].value == user.email  # what was typed is kept
    # Another account from the same address waits too.
    other = make_user("editor", email="marc@example.org")
    assert attempt(testapp, other.email, PASSWORD).status_int == 429
    # An hour later the failures are forgotten.
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)
    monkeypatch.setattr("bassin_cms.auth.services.utcnow", lambda: later)
    assert login(testapp, user.email).status_int == 303


def test_a_success_forgets_the_failures(testapp, make_user):
    user = make_user("editor", email="paul@example.org")
    for _ in range(4):
        attempt(testapp, user.email, "wrong password")
    assert login(testapp, user.email).status_int == 303
    for _ in range(4):
        attempt(testapp, user.email, "wrong password")
    assert attempt(testapp, user.email, PASSWORD).status_int == 303


def test_logout_revokes_the_session_a_copied_cookie_included(testapp, make_user):
    """Finding 9: a cookie copied before logout stayed valid for 8 hours."""
    import webtest

    user = make_user("editor", email="lucie@example.org")
    login(testapp, user.email).follow()
    copied = testapp.cookies["bassin_session"]
    home = testapp.get("/")
    assert "Se déconnecter" in home.text
    logout = next(f for f in home.forms.values() if f.action.endswith("/logout"))
    logout.submit()
    thief = webtest.TestApp(testapp.app, extra_environ=dict(testapp.extra_environ))
    thief.set_cookie("bassin_session", copied)
    page = thief.get("/")
    assert "Se déconnecter" not in page.text and "Se connecter" in page.text
    # A new login works, and a password change ends the sessions before it.
    login(testapp, user.email).follow()
    assert "Se déconnecter" in testapp.get("/").text
    from bassin_cms.auth.services import UserService

    service = UserService(testapp.extra_environ["app.dbsession"])
    service.set_password(service.by_email(user.email), "un tout autre mot de passe")
    assert "Se connecter" in testapp.get("/").text
