"""Settings shared by every kata.

Each kata is mounted by its own URLconf (see ``kata_project.urls``); a kata that needs
models ships an ``apps.py`` and is installed here automatically.
"""

import os
import secrets
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
KATAS_DIR = BASE_DIR / "katas"

SECRET_KEY = "dojo-insecure-key-for-local-practice-only"
DEBUG = False
# The site's own host, as in production: the harness's requests are addressed to it.
SITE_HOST = "www.northwind-shop.com"
ALLOWED_HOSTS = [SITE_HOST, "testserver", "localhost", "127.0.0.1"]

# A kata with models declares its app (and a valid app label) in its own apps.py.
KATA_APPS = sorted(
    f"katas.{apps_file.parent.name}" for apps_file in KATAS_DIR.glob("[0-9][0-9]_*/apps.py")
)

# What the middleware below needs (messages has no tables). The admin and static files of a
# startproject project are left out: no kata serves them.
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    *KATA_APPS,
]

# startproject's stack, in its order, as every real project runs it: CsrfViewMiddleware
# refuses a POST without the CSRF token a page of the site gives the browser (the harness
# plays that browser, dojo.harness.csrf), so a webhook's view must be exempt from it.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kata_project.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "build" / "db.sqlite3",
        # WAL and IMMEDIATE let concurrent requests (each async ORM call runs in its request's
        # own thread) read while another writes, and wait for a write lock instead of failing.
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            "transaction_mode": "IMMEDIATE",
        },
        # A file, not SQLite's shared-cache memory database: that one answers "database table
        # is locked" at once when two request threads touch a table. One file per process,
        # so test runs side by side never share it (dojo.harness.db removes its WAL files). Tables are
        # made straight from the models (MIGRATE False): three times less work than migrating.
        "TEST": {
            "NAME": Path(tempfile.gettempdir()) / f"dojo-test-{os.getpid()}.sqlite3",
            "MIGRATE": False,
        },
    }
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Django's background tasks (django.tasks): the built-in backend that runs each task at once,
# inside enqueue(), as development setups do. A kata's test may swap in DummyBackend, which
# only records the task, to play the worker itself.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# The secret the payment provider signs its webhook deliveries with (kata 37). A real project
# reads it from the environment, never from the view's code: here it is a new one for each
# run (a served site inherits the tests' own), so only a view that reads the setting can
# check a signature.
PAYMENTS_WEBHOOK_SECRET = os.environ.setdefault(
    "PAYMENTS_WEBHOOK_SECRET", f"whsec_{secrets.token_urlsafe(24)}"
)

USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    # The harness reports a view's exception itself; Django's copy would only repeat it.
    "loggers": {"django.request": {"handlers": ["null"], "propagate": False}},
}
