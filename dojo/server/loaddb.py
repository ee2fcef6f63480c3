"""The database of a kata served by ``make serve`` and ``make load``: a SQLite file of its
own for each served site, its tables made from the models and its rows from the kata's
``[[load.seed]]`` tables, as the kata's tests make theirs (``dojo.harness.db``).

The worker points Django at the file before the site is built (``prepare``) and seeds it
once the apps are ready (``seed``). With the scenario's ``password_check`` (seconds), a
password check costs about that much CPU on this machine, as the tests calibrate theirs
(``dojo.harness.costs``), instead of Django's default, which is much slower. With the scenario's ``login``, it also opens a session
for that user under ``SESSION_KEY``, which ``make load`` sends as the session cookie, so
every request of a burst comes from a logged-in user.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from dojo.course.catalog import load_kata

# The session every request of a logged-in scenario carries (32 lowercase letters/digits).
SESSION_KEY = "dojoloadsession00000000000000001"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def prepare(path: Path, kata_root: Path, kata_name: str) -> None:
    """Make ``path`` the site's database, and set the password check's cost: before Django
    connects or hashes."""
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = str(path)
    scenario = load_kata(kata_root / "katas" / kata_name).load
    if scenario is not None and scenario.password_check is not None:
        from dojo.server.passwords import calibrated

        for name, value in calibrated(scenario.password_check).items():
            setattr(settings, name, value)


def seed(kata_root: Path, kata_name: str) -> None:
    """Make every model's table, add the kata's seed rows, and open the login's session."""
    from django.db import connection

    apps = _registry()

    scenario = load_kata(kata_root / "katas" / kata_name).load
    if scenario is None:
        return
    with connection.schema_editor() as editor:
        for model in apps.get_models():
            editor.create_model(model)
    for table in scenario.seed:
        model = apps.get_model(table.model)
        for row in table.expanded():
            password = row.pop("password", None)
            instance = model(**row)
            if password is not None:
                instance.set_password(password)
            instance.save()
    if scenario.login is not None:
        _open_session(scenario.login)
    connection.close()


def _registry() -> Any:
    """Django's app registry, loosely typed: typed, it makes mypy's Django plugin check every
    kata's models (teaching code, not type-checked)."""
    return importlib.import_module("django.apps").apps


def _open_session(username: str) -> None:
    """A session of ``username``'s under ``SESSION_KEY``, written as a row: the store's own
    ``save`` would pick a key of its own."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY
    from django.contrib.auth import SESSION_KEY as USER_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    user = User.objects.get_by_natural_key(username)
    store = SessionStore()
    data = {
        USER_KEY: str(user.pk),
        BACKEND_SESSION_KEY: MODEL_BACKEND,
        HASH_SESSION_KEY: user.get_session_auth_hash(),
    }
    store.get_model_class().objects.create(
        session_key=SESSION_KEY,
        session_data=store.encode(data),
        expire_date=store.get_expiry_date(),
    )
