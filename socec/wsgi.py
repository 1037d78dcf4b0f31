"""WSGI entry point for production servers (gunicorn). Refuses to start with unsafe settings."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socec.settings")
django.setup(set_prefix=False)

from socec.core.checks import refuse_unsafe_production  # noqa: E402

refuse_unsafe_production()

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
