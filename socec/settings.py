"""SOCEC settings: one module, every value from the environment (see .env.example).

Development works with no variables set: DEBUG defaults on for `make run`/`make test`
through the Makefile, and development-only secrets are generated once under var/.
Production (DEBUG off) refuses to start without real secrets: see socec/core/checks.py.
"""

import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SOCEC_VAR_DIR", BASE_DIR / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "da"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# Secrets. In DEBUG only, missing ones are generated once and kept in var/dev-secrets.json,
# so a laptop install is safe by default and data survives restarts. Production must set them.
DEV_SECRETS_FILE = VAR_DIR / "dev-secrets.json"


def _dev_secrets() -> dict:
    if not DEBUG:
        return {}
    from cryptography.fernet import Fernet

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    if DEV_SECRETS_FILE.exists():
        return json.loads(DEV_SECRETS_FILE.read_text())
    values = {
        "SECRET_KEY": "dev-" + secrets.token_urlsafe(40),
        "SOCEC_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "SOCEC_PSEUDONYM_KEY": secrets.token_urlsafe(32),
    }
    DEV_SECRETS_FILE.write_text(json.dumps(values, indent=1))
    DEV_SECRETS_FILE.chmod(0o600)
    return values


_DEV = _dev_secrets()
SECRET_KEY = os.environ.get("SECRET_KEY") or _DEV.get("SECRET_KEY", "")
# Fernet keys for identifiers at rest; the first encrypts, all decrypt (rotation).
SOCEC_ENCRYPTION_KEYS = env_list("SOCEC_ENCRYPTION_KEYS", _DEV.get("SOCEC_ENCRYPTION_KEYS", ""))
# Key of the keyed hashes (CNP look-up, deduplication). Never rotated: facts depend on it.
SOCEC_PSEUDONYM_KEY = os.environ.get("SOCEC_PSEUDONYM_KEY") or _DEV.get("SOCEC_PSEUDONYM_KEY", "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # socec.core before django_tasks_db: its db_worker command (recovering dead workers' tasks) takes the place
    # of django_tasks_db's.
    "socec.core",
    "django_tasks",
    "django_tasks_db",
    "socec.accounts",
    "socec.places",
    "socec.orgs",
    "socec.programmes",
    "socec.people",
    "socec.training",
    "socec.jobs",
    "socec.outreach",
    "socec.audit",
    "socec.indicators",
    "socec.workbook",
    "socec.staff",
    "socec.outbox",
    "socec.market",
    "socec.portal",
    "socec.api",
    "socec.demo",
]

MIDDLEWARE = [
    # first, so that every response has them: Content-Security-Policy, Permissions-Policy
    "socec.accounts.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # session expiry (absolute, idle) and the second factor before any staff page (socec/accounts)
    "socec.accounts.middleware.SignInSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "socec.urls"
WSGI_APPLICATION = "socec.devserver.application"  # production: socec.wsgi

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "socec" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite under var/ by default (WAL), PostgreSQL through DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'socec.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # a worker keeps its connection (opening one runs the PRAGMAs below: about 1 ms a request)
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a writer takes the lock at BEGIN, so concurrent writers wait
        # (busy_timeout) instead of failing half-way with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; "
            "PRAGMA foreign_keys=ON; "
            # reports scan whole tables: read them through a memory map (the OS page cache) rather
            # than a read() call per page; about a third faster on a million participants
            "PRAGMA mmap_size=1073741824;"
        ),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and os.environ.get("SOCEC_PG_TUNING") != "0":
    # The indicator reports are a few grouped queries with dozens of expressions each. PostgreSQL's JIT
    # compiles them on every run and spends longer compiling than it saves (all projects, 300,000
    # participants: 4.9 s with JIT, 2.9 s without); and with the default random_page_cost (4, for
    # spinning disks) it hashes every person to join one project's participants instead of looking
    # them up (one project's report: 238 ms, 146 ms at 1.1). SOCEC_PG_TUNING=0 keeps the server's settings.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = (options.get("options", "") + " -c jit=off -c random_page_cost=1.1").strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# "default": one cache shared by every worker process (and machine), the database; it holds little
# (the public forms' rate limits); its table is made by `migrate` (socec/core/migrations/0001_cache_table.py).
# "portal": each worker's own memory, for the public directory's pages and figures, kept under the
# public data version that every write raises (socec/portal/freshness.py): never stale, never written
# to the database (on SQLite, cache writes from several workers would queue for its one write lock).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "socec_cache"},
    "portal": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "socec-portal",
               "OPTIONS": {"MAX_ENTRIES": 5000}},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "staff:login"

LANGUAGE_CODE = "ro"
LANGUAGES = [("ro", _("Romanian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "socec" / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Bucharest"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "socec" / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    # Uploaded evidence is personal data: stored under var/private, outside any web root,
    # and served only through access-checked views.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private"), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "private"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# E-mail: console by default (password reset links appear in the server's output).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SOCEC <noreply@localhost>")

# Security headers; HTTPS-only cookies unless DEBUG.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY") else None
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline script or style anywhere: pages load socec/static files only (HTMX's indicator style is off,
# templates/staff/base.html); data: images for inline pictures. socec/accounts/middleware.py sends both.
SOCEC_CONTENT_SECURITY_POLICY = os.environ.get("SOCEC_CONTENT_SECURITY_POLICY") or (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SOCEC_PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                            "microphone=(), payment=(), usb=()")

# Sign-in security (socec/accounts). The second factor (TOTP app) is required of superusers and of
# everyone whose role shows identifiers; turning it off is for development only (refused in production).
SOCEC_REQUIRE_2FA = env_bool("SOCEC_REQUIRE_2FA", True)
# A session ends SESSION_COOKIE_AGE after signing in, and after this long without a request.
SOCEC_SESSION_IDLE_SECONDS = int(os.environ.get("SOCEC_SESSION_IDLE_SECONDS", str(30 * 60)))
# This many failed sign-ins (password or code) in the window lock the user name, and the address, a while.
SOCEC_LOGIN_MAX_FAILURES = int(os.environ.get("SOCEC_LOGIN_MAX_FAILURES", "5"))
SOCEC_LOGIN_FAILURE_WINDOW = int(os.environ.get("SOCEC_LOGIN_FAILURE_WINDOW", str(15 * 60)))
SOCEC_LOGIN_LOCK_SECONDS = int(os.environ.get("SOCEC_LOGIN_LOCK_SECONDS", str(15 * 60)))

# Demo accounts' password; generated and printed by `socec demo` when unset.
SOCEC_DEMO_PASSWORD = os.environ.get("SOCEC_DEMO_PASSWORD", "")

# Workbook import (socec/workbook): the largest upload, the size checked and imported inside the
# request (larger files go to the background worker), the most an upload may unpack to, and the
# most rows an .xlsx sheet may have (larger data comes as a .zip of CSV).
# The report of several projects adds up cached per-project parts, each counted again only when its
# project's records change (socec/indicators/cache.py); 0 counts every report afresh.
SOCEC_REPORT_CACHE = os.environ.get("SOCEC_REPORT_CACHE", "1") != "0"
# Uploads kept under VAR_DIR/private and served through access-checked views only.
SOCEC_EVIDENCE_MAX_BYTES = int(os.environ.get("SOCEC_EVIDENCE_MAX_BYTES", 10 * 1024**2))
SOCEC_EVENT_PHOTO_MAX_BYTES = int(os.environ.get("SOCEC_EVENT_PHOTO_MAX_BYTES", 10 * 1024**2))
SOCEC_PUBLICATION_MAX_BYTES = int(os.environ.get("SOCEC_PUBLICATION_MAX_BYTES", 50 * 1024**2))
SOCEC_IMPORT_MAX_BYTES = int(os.environ.get("SOCEC_IMPORT_MAX_BYTES", 200 * 1024**2))
SOCEC_IMPORT_INLINE_MAX_BYTES = int(os.environ.get("SOCEC_IMPORT_INLINE_MAX_BYTES", 2 * 1024**2))
SOCEC_IMPORT_MAX_UNCOMPRESSED = int(os.environ.get("SOCEC_IMPORT_MAX_UNCOMPRESSED", 4 * 1024**3))
SOCEC_IMPORT_MAX_XLSX_ROWS = int(os.environ.get("SOCEC_IMPORT_MAX_XLSX_ROWS", 200_000))

# REST API (socec/api): per client IP and minute, failed authentications (wrong or revoked tokens) and
# anonymous requests to the public endpoints; past them, 429 with Retry-After.
SOCEC_API_AUTH_FAILURES_PER_MINUTE = int(os.environ.get("SOCEC_API_AUTH_FAILURES_PER_MINUTE", "20"))
SOCEC_API_PUBLIC_PER_MINUTE = int(os.environ.get("SOCEC_API_PUBLIC_PER_MINUTE", "120"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
