"""WSGI entry point for production servers (gunicorn). Refuses to start with unsafe settings."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socec.settings")
application = get_wsgi_application()

from socec.core.checks import refuse_unsafe_production  # noqa: E402

refuse_unsafe_production()
