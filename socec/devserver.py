"""The WSGI application Django's development server (`socec runserver`, `make run`) uses.
Production servers use socec.wsgi, which refuses to start with unsafe settings."""

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
