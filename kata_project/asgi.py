"""ASGI entry point, as a real server (uvicorn) loads it."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kata_project.settings")

application = get_asgi_application()
