import pytest

from socec.accounts.otp import mark_verified
from tests.personas import PASSWORD, build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def login(client):
    """login(user) -> the test client, logged in as that persona (None: anonymous)."""

    def _login(user):
        client.logout()
        if user is not None:
            assert client.login(username=user.username, password=PASSWORD)
            # the second factor as if passed (tests/test_accounts.py signs in through the real steps)
            session = client.session
            mark_verified(session, user)
            session.save()
        return client

    return _login


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Test speed only: PBKDF2 with 1M iterations costs ~0.3 s per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_csrf_tokens(monkeypatch):
    # Pages carry a random CSRF token (64 letters and digits); a test asserting that "E1" or "P2"
    # is absent from a page would fail whenever the token happened to contain it. A constant
    # secret and mask give a token of two repeated letters ("xxx...UUU..."), still valid.
    monkeypatch.setattr("django.middleware.csrf._get_new_csrf_string", lambda: "x" * 32)


@pytest.fixture(autouse=True)
def _empty_portal_cache():
    # The public pages' cache lives in the process's memory, keyed by the public data version, which
    # every test's database starts again from: each test starts with it empty.
    from socec.portal import freshness

    freshness.forget()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    # Messages raised by services outside a request come in the active language; tests read
    # them in English. Pages choose their language per request (LocaleMiddleware).
    from django.utils import translation

    with translation.override("en"):
        yield
