import pytest

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
        return client

    return _login


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Test speed only: PBKDF2 with 1M iterations costs ~0.3 s per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
