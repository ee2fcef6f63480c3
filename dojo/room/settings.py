"""Settings of the room server: one app, one SQLite file under build/room/, no sessions.

``DOJO_ROOM_DIR`` names the room's folder (build/room/ of the checkout by default), so a
test or a load run can start a room of its own.
"""

import os
import secrets
from pathlib import Path

ROOM_DIR = Path(
    os.environ.get("DOJO_ROOM_DIR", Path(__file__).resolve().parents[2] / "build" / "room")
)

# Nothing signed outlives the process (no sessions, no cookies), so a fresh key will do.
SECRET_KEY = secrets.token_urlsafe(32)
DEBUG = False
# The pairs reach the room by whatever address the facilitator's machine has on the network.
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = ["dojo.room"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
ROOT_URLCONF = "dojo.room.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": True},
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ROOM_DIR / "room.sqlite3",
        # Writes wait for each other a little instead of failing with "database is locked".
        "OPTIONS": {
            "timeout": 5,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
# The views read bodies themselves, against the room's own limit (dojo.room.limits).
DATA_UPLOAD_MAX_MEMORY_SIZE = None
LOGGING_CONFIG = None
