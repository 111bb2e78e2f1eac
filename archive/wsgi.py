"""WSGI entry point (gunicorn, the Django test server)."""

import os

from django.core.wsgi import get_wsgi_application

from archive.startup import settle_heap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")

application = get_wsgi_application()
settle_heap()
