"""A known or short session secret lets anyone sign an administrator's
session: the application refuses to start with one."""

import secrets

import pytest
from pyramid.paster import get_appsettings

from bassin_cms.auth import SecretError, check_secret
from tests.conftest import ROOT


@pytest.mark.parametrize(
    "secret, secure",
    [
        ("CHANGE-ME", True),
        ("CHANGE-ME", False),
        ("", False),
        ("short-but-random-x7", False),
        ("development-only-secret-change-me", True),
    ],
)
def test_placeholder_short_and_shipped_secrets_are_refused(secret, secure):
    with pytest.raises(SecretError):
        check_secret(secret, secure)


def test_a_long_random_secret_and_the_development_one_on_localhost_are_accepted():
    check_secret(secrets.token_hex(32), True)
    check_secret("development-only-secret-change-me", False)


def test_production_ini_as_shipped_does_not_start():
    from bassin_cms import main

    settings = dict(get_appsettings(str(ROOT / "production.ini")))
    with pytest.raises(SecretError, match="valeur d'exemple"):
        main({"here": str(ROOT)}, **settings)
