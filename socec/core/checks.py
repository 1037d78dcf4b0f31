"""System checks that refuse unsafe production settings.

They run with `socec check --deploy` and when the production WSGI application starts
(socec/wsgi.py), which then refuses to serve. In DEBUG (development) they stay silent.
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def production_problems() -> list[checks.CheckMessage]:
    errors = []
    if settings.DEBUG:
        errors.append(checks.Error("DEBUG is on: never serve real users with DEBUG.", id="socec.E001",
                                   hint="Unset DEBUG (or set DEBUG=0) in production."))
    try:
        key = settings.SECRET_KEY or ""
    except ImproperlyConfigured:  # Django refuses to read an empty SECRET_KEY
        key = ""
    if len(key) < 40 or key.startswith(("dev-", "django-insecure", "change-me")):
        errors.append(checks.Error("SECRET_KEY is missing, too short or a development value.", id="socec.E002",
                                   hint="Set SECRET_KEY to a random string of at least 50 characters."))
    enc = settings.SOCEC_ENCRYPTION_KEYS
    if not enc:
        errors.append(checks.Error("SOCEC_ENCRYPTION_KEYS is not set: identifiers cannot be encrypted.",
                                   id="socec.E003",
                                   hint="Generate one with: socec generate_keys"))
    else:
        from cryptography.fernet import Fernet

        for k in enc:
            try:
                Fernet(k.encode())
            except (ValueError, TypeError):
                errors.append(checks.Error("SOCEC_ENCRYPTION_KEYS holds a value that is not a Fernet key.",
                                           id="socec.E004", hint="Generate one with: socec generate_keys"))
                break
    if len(settings.SOCEC_PSEUDONYM_KEY or "") < 32:
        errors.append(checks.Error("SOCEC_PSEUDONYM_KEY is missing or shorter than 32 characters.",
                                   id="socec.E005", hint="Generate one with: socec generate_keys"))
    if not settings.ALLOWED_HOSTS or "*" in settings.ALLOWED_HOSTS:
        errors.append(checks.Error("ALLOWED_HOSTS must name this site's host names (not *).", id="socec.E006"))
    if not getattr(settings, "SOCEC_REQUIRE_2FA", True):
        errors.append(checks.Error("SOCEC_REQUIRE_2FA is off: staff who see identifiers must use a second factor.",
                                   id="socec.E007", hint="Unset SOCEC_REQUIRE_2FA (it is for development only)."))
    return errors


@checks.register(checks.Tags.security, deploy=True)
def check_production_settings(app_configs=None, **kwargs):
    return production_problems()


@checks.register(checks.Tags.security)
def check_encryption_configured(app_configs=None, **kwargs):
    """Even in development, identifiers must be encryptable."""
    if not settings.SOCEC_ENCRYPTION_KEYS or not settings.SOCEC_PSEUDONYM_KEY:
        return [checks.Error("Encryption keys are not configured.", id="socec.E010",
                             hint="Set SOCEC_ENCRYPTION_KEYS and SOCEC_PSEUDONYM_KEY (see .env.example).")]
    return []


def refuse_unsafe_production() -> None:
    problems = production_problems()
    if problems:
        lines = "\n".join(f"  {p.id}: {p.msg} {p.hint or ''}" for p in problems)
        raise ImproperlyConfigured(f"SOCEC refuses to start with unsafe production settings:\n{lines}")
