import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from socec.core.checks import production_problems, refuse_unsafe_production

GOOD = {
    "DEBUG": False,
    "SECRET_KEY": "k" * 60,
    "SOCEC_ENCRYPTION_KEYS": [Fernet.generate_key().decode()],
    "SOCEC_PSEUDONYM_KEY": "p" * 40,
    "ALLOWED_HOSTS": ["socec.example.org"],
}


def apply(settings, **values):
    for k, v in {**GOOD, **values}.items():
        setattr(settings, k, v)


def ids(settings):
    return {p.id for p in production_problems()}


def test_safe_production_settings_pass(settings):
    apply(settings)
    assert ids(settings) == set()
    refuse_unsafe_production()


@pytest.mark.parametrize("values, expected", [
    ({"DEBUG": True}, "socec.E001"),
    ({"SECRET_KEY": "dev-abc"}, "socec.E002"),
    ({"SECRET_KEY": ""}, "socec.E002"),
    ({"SOCEC_ENCRYPTION_KEYS": []}, "socec.E003"),
    ({"SOCEC_ENCRYPTION_KEYS": ["not-a-key"]}, "socec.E004"),
    ({"SOCEC_PSEUDONYM_KEY": ""}, "socec.E005"),
    ({"ALLOWED_HOSTS": ["*"]}, "socec.E006"),
])
def test_each_unsafe_setting_is_refused(settings, values, expected):
    apply(settings, **values)
    assert expected in ids(settings)
    with pytest.raises(ImproperlyConfigured, match=expected):
        refuse_unsafe_production()


def test_production_wsgi_refuses_to_start_without_secrets(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "SOCEC_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "socec.settings"}
    result = subprocess.run([sys.executable, "-c", "import socec.wsgi"], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0
    assert "refuses to start" in result.stderr and "SECRET_KEY" in result.stderr


def test_development_server_starts_with_development_settings():
    # `make run` serves through runserver, which loads settings.WSGI_APPLICATION: it must not be
    # the production entry point that refuses development secrets.
    from django.core.servers.basehttp import get_internal_wsgi_application

    assert callable(get_internal_wsgi_application())
