"""The database side of the ORM katas: a shared test database, a record of every SQL query,
random rows, and logged-in requests.

Through ``app`` each request runs in its own ``ThreadSensitiveContext``, as under a real
server, so the async ORM runs that request's queries in a thread of its own, on a
connection of its own. The test database must therefore be one that every thread opens
(a file, see ``kata_project.settings``), and what a test creates must be committed before
the request reads it: the ``database`` fixture asks pytest-django for ``transactional_db``.

Every connection records its queries, with the thread that ran them. A query that ran on
the event loop's thread held the loop while the database answered; Django refuses that
with ``SynchronousOnlyOperation``, unless ``DJANGO_ALLOW_ASYNC_UNSAFE`` hides the guard.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pytest
from django.conf import settings
from django.contrib.auth import alogin
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.http import HttpRequest

from dojo.harness.asgi import App, Response
from dojo.harness.config import settings_key
from dojo.harness.loopwatch import CodeSite, site_of

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

# Django's own backend, so no password hashing (slow on purpose) is needed to log in.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

# The query log of the running test, or None between tests; read by every connection.
_current_log: QueryLog | None = None


# Queries ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """One SQL statement: its text, the thread that ran it, and the learner's line behind it."""

    sql: str
    thread: str
    on_loop: bool
    site: CodeSite | None


@dataclass
class QueryLog:
    """Every SQL statement run while a test uses the ``database`` fixture, from any thread."""

    code_roots: tuple[Path, ...]
    queries: list[Query] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, sql: str) -> None:
        query = Query(
            sql=sql,
            thread=threading.current_thread().name,
            on_loop=_in_event_loop(),
            site=site_of(sys._getframe(1), self.code_roots),
        )
        with self._lock:
            self.queries.append(query)

    @property
    def on_loop(self) -> list[Query]:
        """The queries that ran on an event loop's thread, blocking it."""
        with self._lock:
            return [query for query in self.queries if query.on_loop]


def note_server_queries(count: int, sql: str, site: CodeSite | None) -> None:
    """In server mode: ``count`` queries the kata's server said ran on its event loop's
    thread, the first being ``sql``, made at ``site`` (an inside report, added to the
    running test's log: it can only add a failure)."""
    log = _current_log
    if log is None:
        return
    query = Query(sql=sql, thread="the server's event loop thread", on_loop=True, site=site)
    with log._lock:
        log.queries.extend([query] * count)


def _in_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _record(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """An execute wrapper (see Django's "Database instrumentation") on every connection."""
    log = _current_log
    if log is not None:
        log.add(sql)
    return execute(sql, params, many, context)


def _watch(connection: BaseDatabaseWrapper) -> None:
    if _record not in connection.execute_wrappers:
        connection.execute_wrappers.append(_record)


def _on_connection_created(sender: object, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    _watch(connection)


# Each request thread opens its own connection: watch every connection from the start.
connection_created.connect(_on_connection_created, dispatch_uid="dojo.harness.db.record_queries")


@dataclass
class Database:
    """The test database during one test, and the SQL that ran against it."""

    log: QueryLog

    @property
    def queries(self) -> list[Query]:
        """Every SQL statement so far, from the test and from the view's threads."""
        return list(self.log.queries)

    def assert_no_query_on_loop(self) -> None:
        """Fail if a query ran on the event loop's thread (it held every other request)."""
        __tracebackhide__ = True
        blocking = self.log.on_loop
        if not blocking:
            return
        first = blocking[0]
        count = "1 SQL query" if len(blocking) == 1 else f"{len(blocking)} SQL queries"
        where = ", the first from" if first.site else "."
        lines = [f"{count} ran on the event loop's thread{where}"]
        if first.site:
            lines.append(f"  {first.site}")
        lines.append(f"  SQL: {_shorten(first.sql)}")
        lines.append("While a sync query waits for the database, the loop serves no other request.")
        if os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE"):
            lines.append(
                "DJANGO_ALLOW_ASYNC_UNSAFE is set: it only silences Django's guard "
                "(SynchronousOnlyOperation),\nit does not make the query asynchronous."
            )
        lines.append(
            "Expected every query to go through the async ORM (aget, acount, async for, ...) "
            "or to run\nin a thread (sync_to_async)."
        )
        pytest.fail("\n".join(lines), pytrace=False)


def _shorten(sql: str, limit: int = 100) -> str:
    return sql if len(sql) <= limit else sql[: limit - 1] + "…"


# Random rows -------------------------------------------------------------------------------

FIRST_NAMES = (
    "Ada", "Amara", "Bruno", "Chen", "Dalia", "Emeka", "Farah", "Goran", "Hana", "Ines",
    "Jonas", "Kofi", "Leila", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Sven",
    "Tariq", "Ula", "Viktor", "Wen", "Yara", "Zofia",
)  # fmt: skip
LAST_NAMES = (
    "Abebe", "Berg", "Castillo", "Dubois", "Eriksen", "Fontaine", "Garcia", "Haddad", "Ito",
    "Jensen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov", "Quispe",
    "Rossi", "Sato", "Tanaka", "Umarov", "Varga", "Weber", "Yilmaz", "Zhou",
)  # fmt: skip
ADJECTIVES = (
    "Silent", "Hidden", "Amber", "Broken", "Distant", "Electric", "Frozen", "Golden",
    "Hollow", "Iron", "Last", "Midnight", "Northern", "Paper", "Quiet", "Restless", "Scarlet",
    "Secret", "Twelfth", "Wandering",
)  # fmt: skip
NOUNS = (
    "Harbour", "Lantern", "Orchard", "Compass", "Garden", "Archive", "Bridge", "Cartographer",
    "Engine", "Forest", "Island", "Kingdom", "Lighthouse", "Mirror", "Observatory", "River",
    "Signal", "Station", "Tide", "Winter",
)  # fmt: skip


class Fake:
    """Random, realistic, unique values for rows, drawn from the test's ``rng``; plain
    letters and spaces only, so they read the same in JSON and in HTML."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._used: set[str] = set()

    def person(self) -> str:
        """A full name, such as "Leila Lindqvist"."""
        return self._unique(lambda: f"{self._pick(FIRST_NAMES)} {self._pick(LAST_NAMES)}")

    def username(self) -> str:
        """A login name, such as "leila.lindqvist42"."""
        return self._unique(
            lambda: f"{self._pick(FIRST_NAMES)}.{self._pick(LAST_NAMES)}{self.rng.randint(1, 99)}"
        ).lower()

    def title(self) -> str:
        """A book or article title, such as "The Hollow Lighthouse"."""
        patterns = (
            lambda: f"The {self._pick(ADJECTIVES)} {self._pick(NOUNS)}",
            lambda: f"{self._pick(ADJECTIVES)} {self._pick(NOUNS)}",
            lambda: f"The {self._pick(NOUNS)} and the {self._pick(NOUNS)}",
        )
        return self._unique(lambda: self._pick(patterns)())

    def year(self) -> int:
        """A publication year."""
        return self.rng.randint(1950, 2025)

    def amount(self, low: int = 100, high: int = 100_000) -> int:
        """A sum of money in cents."""
        return self.rng.randint(low, high)

    def _pick(self, options: tuple[Any, ...]) -> Any:
        return options[self.rng.randrange(len(options))]

    def _unique(self, make: Callable[[], str]) -> str:
        for _ in range(1000):
            value = make()
            if value not in self._used:
                self._used.add(value)
                return value
        raise RuntimeError("dojo.harness.db.Fake ran out of unique values; ask for fewer.")


# Logged-in requests --------------------------------------------------------------------------


@dataclass
class LoggedIn:
    """Requests through ``app`` that carry a logged-in user's session cookie."""

    app: App
    user: AbstractBaseUser
    cookie: str

    @property
    def headers(self) -> dict[str, str]:
        """The request headers that carry the session, for ``burst(..., headers=...)``."""
        return {"cookie": self.cookie}

    async def get(self, path: str) -> Response:
        """GET ``path`` as the logged-in user."""
        return await self.app.get(path, headers=self.headers)

    async def post(self, path: str, *, json: Any = None, data: bytes = b"") -> Response:
        """POST to ``path`` as the logged-in user."""
        return await self.app.post(path, json=json, data=data, headers=self.headers)


async def log_in(app: App, user: AbstractBaseUser) -> LoggedIn:
    """Open a session for ``user`` the way Django's test client does (``alogin`` on a fake
    request, then save the session) and return requests that carry its cookie."""
    engine = import_module(settings.SESSION_ENGINE)
    request = HttpRequest()
    request.session = engine.SessionStore()
    # alogin() accepts any user model; django-stubs types it for the default one.
    await alogin(request, cast(Any, user), MODEL_BACKEND)
    await request.session.asave()
    cookie = SimpleCookie()
    cookie[settings.SESSION_COOKIE_NAME] = request.session.session_key or ""
    return LoggedIn(app, user, cookie.output(header="", attrs=[]).strip())


# Fixtures ---------------------------------------------------------------------------------------


@pytest.fixture
def database(request: pytest.FixtureRequest, transactional_db: None) -> Iterator[Database]:
    """The test database, committed so that the view's threads see the test's rows, and a
    log of every SQL query: ``database.assert_no_query_on_loop()``."""
    global _current_log
    log = QueryLog(request.config.stash[settings_key].code_roots)
    for connection in connections.all(initialized_only=True):
        _watch(connection)
    _current_log = log
    try:
        yield Database(log)
    finally:
        _current_log = None


@pytest.fixture
def fake(rng: random.Random) -> Fake:
    """Random names, titles, years and amounts for rows, new each run (so hard-coded answers
    fail): ``await Book.objects.acreate(title=fake.title(), year=fake.year())``."""
    return Fake(rng)


@pytest.fixture
def login(app: App, database: Database) -> Callable[[AbstractBaseUser], Awaitable[LoggedIn]]:
    """Log a user in: ``me = await login(user)``, then ``await me.get("/path")`` sends that
    user's session cookie through ``app``."""

    async def login_as(user: AbstractBaseUser) -> LoggedIn:
        return await log_in(app, user)

    return login_as


# Hooks --------------------------------------------------------------------------------------------


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the WAL files SQLite leaves beside a test database that was destroyed while a
    request thread's connection was still open."""
    if not settings.configured:
        return
    databases: dict[str, dict[str, Any]] = settings.DATABASES
    for database in databases.values():
        name = database.get("TEST", {}).get("NAME")
        if not name or "mode=memory" in str(name) or Path(name).exists():
            continue
        for suffix in ("-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
