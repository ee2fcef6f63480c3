"""The room's ASGI application: Django behind the body size limit."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dojo.room.settings")

from django.core.asgi import get_asgi_application

from dojo.room.limits import BodyLimit

application = BodyLimit(get_asgi_application())
