"""Server mode (``--server``): the kata tests against the kata served by uvicorn.

The same tests, unchanged, run against the kata's site in a worker process (``dojo.server.worker``,
as ``make serve`` runs it) over real sockets on 127.0.0.1:

- the test process never imports the learner's files; the worker does, with the same
  ``--target`` switch;
- ``upstream`` is the test's own ``Upstream``, answering on a real socket in the test process
  (``dojo.harness.socketupstream``); the worker's httpx calls are sent there (``dojo.server.redirect``);
- ``app`` and ``burst`` send real HTTP (``dojo.harness.remote``), and judge the loop from outside.
- ``stream`` reads a response off its socket as it arrives, and leaves by closing the
  connection, as a browser does (``dojo.harness.remotestream``).

One worker serves one kata (for a given target): it starts when the kata's first test
needs it, the next kata's starts meanwhile, and each stops once its kata's tests are done,
or when the session ends, fails or is interrupted; a worker whose parent goes away stops by
itself. A test that needs a fixture server mode does not have yet is skipped, with a
reason naming it: it must not pass for the wrong reason. So is a test its kata says can
only be judged in-process (it looks into the test process: the thread that made a call,
objects held in memory, Django patched there), with the kata's reason::

    [server_mode.in_process_only]
    test_nothing_of_a_request_is_kept_once_it_has_answered = "counts objects in memory"
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import json
import os
import signal
import tempfile
import tomllib
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pytest

from dojo.errors import DojoError
from dojo.harness.config import kata_folder, kata_of, settings_key
from dojo.harness.socketupstream import SocketUpstream

if TYPE_CHECKING:
    # Imported when a worker starts: uvicorn costs the in-process mode's start nothing.
    from dojo.server.sandbox import Sandbox
    from dojo.server.serve import Server

# The dojo fixtures that work in server mode; the kata's own fixtures built on them do too.
# The database is one file both processes use: the test seeds it and reads it back through
# the same fixtures, committed (``transactional_db``), so the worker sees the rows. pytest's
# ``caplog`` works too: what the site logs is logged again in the test process.
SERVER_FIXTURES = frozenset(
    {
        "app",
        "burst",
        "upstream",
        "rng",
        "upstream_failure",
        "database",
        "transactional_db",
        "fake",
        "login",
        "assert_async_view",
        "fast_password_hashing",
        "slow_password_hashing",
        "meanwhile",
        "stream",
        "network_cache",
        "background_tasks",
        "middleware_app",
        "middleware_burst",
        "http_clients",
        "on_new_loop",
        "server_app",
    }
)
# Fixtures of pytest and pytest-django that see or change only the test process (``db``
# keeps the test's rows in a transaction no other process sees).
IN_PROCESS_FIXTURES = frozenset({"capsys", "capfd", "settings", "db", "client", "async_client"})
WORKER_MAX_SECONDS = 3600.0
# The worker answers the tests' own asks at once; one that takes longer is stuck (its loop
# held by the learner's code).
ASK_TIMEOUT = 10.0
SKIP_PREFIX = "not run in server mode: "


def server_mode(config: pytest.Config) -> bool:
    """Whether the kata tests run against a server (``--server``, or ini ``dojo_server``)."""
    if config.getoption("dojo_server", default=False):
        return True
    return str(config.getini("dojo_server")).strip().lower() in ("1", "true", "yes")


class KataServers:
    """The fake upstream's socket, and one worker per kata, for the whole session."""

    def __init__(self, root: Path, target_dir: Path) -> None:
        self.root = root
        self.target_dir = None if target_dir == root / "katas" else target_dir
        self.upstream = SocketUpstream()
        self._started_upstream = False
        self._sites: dict[str, Server] = {}
        # Katas whose worker could not start, and why: their other tests fail at once.
        self.broken: dict[str, str] = {}
        self._logs = contextlib.ExitStack()
        self._log_dir: Path | None = None
        self._cache_dir: Path | None = None
        # For grading: the sandbox every worker runs in, and the one folder it shares.
        self._sandbox: Sandbox | None = None
        self._shared = Path()

    def site(self, kata: Path) -> Server:
        """The worker serving ``kata``, started if need be and ready."""
        server = self.start(kata)
        if server._ready >= 0:
            server.wait_ready()
        return server

    def start(self, kata: Path) -> Server:
        """Start the worker of ``kata`` if it is not running; do not wait for it."""
        from dojo.server.serve import Server, listen

        server = self._sites.get(kata.name)
        if server is not None and server.running:
            return server
        if not self._started_upstream:
            self.upstream.start()
            self._started_upstream = True
        config = kata_of(kata)
        arguments = ["--kata", kata.name, "--upstream-port", str(self.upstream.port)]
        arguments.append("--server-mode")
        if config is None or config.cheap_http_clients:
            arguments.append("--cheap-http-clients")
        if self.target_dir is not None:
            arguments += ["--target-dir", str(self.target_dir)]
        if self._sandbox is not None:
            arguments += ["--upstream-socket", str(self._upstream_socket())]
        database = test_database_file()
        if database is not None:
            arguments += ["--database", database]
        arguments += ["--cache-dir", str(self.cache_dir())]
        server = Server(
            "site",
            listen(None)[0],
            arguments,
            cwd=self.root,
            log=self._log(kata.name),
            max_seconds=WORKER_MAX_SECONDS,
            sandbox=self._sandboxed if self._sandbox is not None else None,
            limits=self._sandbox.limits() if self._sandbox is not None else None,
        )
        self._sites[kata.name] = server
        return server

    def shut_in(self, shared: Path) -> None:
        """Run every worker in the grading sandbox (``dojo.server.sandbox``), which sees the kata's
        site and the learner files read-only and shares only ``shared`` with this process.
        A DojoError if this machine has no sandbox: graded code never runs outside one."""
        from dojo.server.sandbox import find

        sandbox = find()
        if not sandbox.available:
            raise DojoError(f"No sandbox to serve graded code in: {sandbox.why}.")
        self._sandbox, self._shared = sandbox, shared

    def share_database(self) -> None:
        """Let the sandbox's own user write the tests' database, once made: SQLite, run
        as root, gives its journals the database file's owner."""
        user = self._sandbox.user if self._sandbox is not None else None
        database = test_database_file()
        if user is None or database is None:
            return
        for path in (database, f"{database}-wal", f"{database}-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.chown(path, user, user)

    def _upstream_socket(self) -> Path:
        """The fake upstream's Unix socket in the shared folder, made on first use."""
        path = self._shared / "upstream.sock"
        if not path.exists():
            if not self._started_upstream:
                self.upstream.start()
                self._started_upstream = True
            self.upstream.serve_unix(path)
        return path

    def _sandboxed(self, command: list[str], env: dict[str, str]) -> list[str]:
        assert self._sandbox is not None
        readable = [self.root, *([self.target_dir] if self.target_dir else [])]
        scratch = self._shared / "tmp"
        scratch.mkdir(exist_ok=True)
        return self._sandbox.wrap(
            command,
            env={**env, "TMPDIR": str(scratch)},
            cwd=self.root,
            readable=readable,
            writable=[self._shared],
        )

    def cache_dir(self) -> Path:
        """The folder of the one cache this process and every worker use, made (and the
        test process switched to it) on first use."""
        if self._cache_dir is None:
            from dojo.server.serverside import share_cache

            self._cache_dir = Path(self._logs.enter_context(tempfile.TemporaryDirectory()))
            share_cache(str(self._cache_dir))
        return self._cache_dir

    def stop(self, kata: Path, *, kill: bool = False) -> None:
        """Stop the worker of ``kata``, if one runs (``kill``: at once, as one whose loop
        is held could not stop by itself)."""
        server = self._sites.pop(kata.name, None)
        if server is None:
            return
        if kill and server.running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.process.pid, signal.SIGKILL)
        server.stop()

    def keep_only(self, *katas: Path) -> None:
        """Stop every worker but those of ``katas``."""
        for name in list(self._sites):
            if name not in {kata.name for kata in katas}:
                self._sites.pop(name).stop()

    def close(self) -> None:
        """Stop every worker and the fake upstream."""
        for server in self._sites.values():
            server.terminate()
        for server in self._sites.values():
            server.stop()
        self._sites.clear()
        self.upstream.close()
        self._logs.close()

    def _log(self, name: str) -> IO[bytes]:
        """A new file for a worker's output: its traceback, if the kata cannot be served."""
        if self._log_dir is None:
            self._log_dir = Path(self._logs.enter_context(tempfile.TemporaryDirectory()))
        count = len(list(self._log_dir.iterdir()))
        return self._logs.enter_context((self._log_dir / f"{count}-{name}.log").open("wb"))


def test_database_file() -> str | None:
    """The file pytest-django makes the test database in (the settings' TEST NAME), if the
    project has one: the worker answers from it while the tests seed and read it."""
    from django.conf import settings

    if not settings.configured:
        return None
    default: dict[str, Any] = settings.DATABASES.get("default", {})
    name = default.get("TEST", {}).get("NAME") or default.get("NAME")
    return str(name) if name and "memory" not in str(name) else None


servers_key = pytest.StashKey[KataServers]()
order_key = pytest.StashKey[list[Path]]()
# What the test asked of its served site so far (``configure_site``).
site_settings_key = pytest.StashKey[dict[str, Any]]()


def kata_servers(config: pytest.Config) -> KataServers:
    """The session's servers (server mode only)."""
    servers = config.stash.get(servers_key, None)
    if servers is None:
        dojo = config.stash[settings_key]
        servers = config.stash[servers_key] = KataServers(dojo.root, dojo.target_dir)
        shared = config.getoption("dojo_sandbox_worker", default=None)
        if shared:
            servers.shut_in(Path(shared))
    return servers


def site_for(request: pytest.FixtureRequest) -> Server:
    """The ready worker of the requesting test's kata; the next kata's starts meanwhile.
    Fails the test, with the worker's own error, when the kata cannot be served."""
    __tracebackhide__ = True
    config = request.config
    kata = kata_folder(request.node.path)
    assert kata is not None
    servers = kata_servers(config)
    order = config.stash.get(order_key, [])
    following = order[order.index(kata) + 1 :] if kata in order else []
    servers.keep_only(kata, *following[:1])
    problem = servers.broken.get(kata.name)
    if problem is None:
        try:
            server = servers.site(kata)
        except DojoError as error:
            problem = servers._sites[kata.name].last_error(config.rootpath) or str(error)
            servers.broken[kata.name] = problem
            servers.stop(kata)
    if problem is not None:
        pytest.fail(
            f"The kata's server could not start: {problem}\n"
            "Fix this first: no test can run until the module imports.",
            pytrace=False,
        )
    if following:
        servers.start(following[0])
    return server


class SiteRefused(Exception):
    """The served site could not take the settings or middleware a test asked for."""


def configure_site(
    request: pytest.FixtureRequest,
    *,
    settings: dict[str, Any] | None = None,
    middleware: list[str] | None = None,
) -> None:
    """Until the requesting test ends, the worker serving its kata uses ``settings`` (values
    that JSON can carry) and the kata's ``middleware`` after the project's, as the
    in-process site does with ``override_settings``; on top of what the test's other
    fixtures asked. Raises an exception named as Django's was if the worker cannot build
    that middleware chain."""
    server = site_for(request)
    node = request.node
    asked = node.stash.get(site_settings_key, None)
    if asked is None:
        asked = node.stash[site_settings_key] = {"settings": {}, "middleware": []}
        request.addfinalizer(lambda: _post_settings(server.port, {}) if server.running else None)
    wanted = {
        "settings": {**asked["settings"], **(settings or {})},
        "middleware": [*asked["middleware"], *(middleware or [])],
    }
    refused = _post_settings(server.port, wanted)
    if refused is not None:
        _post_settings(server.port, asked)  # back to what the test had before
        raise refused
    node.stash[site_settings_key] = wanted


def _post_settings(port: int, asked: dict[str, Any]) -> BaseException | None:
    """Post ``asked`` to the worker at ``port``; the error it refused them with, if it did."""
    from dojo.server.serverside import SETTINGS_PATH, read_site

    status, report = ask_site(port, SETTINGS_PATH, asked)
    if status == 200:
        return None
    name, _, message = str(report.get("error", "")).partition(": ")
    site = read_site(report.get("site") or "")
    where = f"\n  {site}" if site is not None else ""
    kind: type[Exception] = (
        type(name, (SiteRefused,), {"__module__": "server"}) if name.isidentifier() else SiteRefused
    )
    return kind(f"{message}{where}")


def ask_site(
    port: int, path: str, body: object = None, *, timeout: float = ASK_TIMEOUT
) -> tuple[int, Any]:
    """GET ``path`` of the worker at ``port`` (POST ``body``, as JSON, if given): the
    status and the JSON it answered. Fails the test if it does not answer in ``timeout``."""
    __tracebackhide__ = True
    from dojo.server.serve import HOST

    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        if body is None:
            connection.request("GET", path)
        else:
            headers = {"Content-Type": "application/json"}
            connection.request("POST", path, json.dumps(body), headers)
        answer = connection.getresponse()
        status, data = answer.status, answer.read()
    except OSError as error:
        pytest.fail(f"The kata's server did not answer {path}: {error}", pytrace=False)
    finally:
        connection.close()
    return status, json.loads(data or b"{}")


def use_settings(request: pytest.FixtureRequest, **values: Any) -> None:
    """Django settings for the requesting test, as pytest-django's ``settings`` fixture
    sets them; in server mode, the served site's too (``configure_site``)."""
    from django.test import override_settings

    override = override_settings(**values)
    override.enable()
    request.addfinalizer(override.disable)
    if server_mode(request.config):
        configure_site(request, settings=values)


def restart_after_hang(config: pytest.Config, kata: Path) -> None:
    """A view that never answered may still hold the worker's loop: stop that worker."""
    kata_servers(config).stop(kata, kill=True)


@contextlib.contextmanager
def upstream_served(config: pytest.Config, upstream: object) -> Iterator[None]:
    """Within this block, the worker's upstream calls reach ``upstream`` on a real socket."""
    from dojo.harness.upstream import Upstream

    assert isinstance(upstream, Upstream)
    servers = kata_servers(config)
    if not servers._started_upstream:
        servers.upstream.start()
        servers._started_upstream = True
    with servers.upstream.serving(upstream):
        yield


@functools.cache
def in_process_only(kata: Path) -> dict[str, str]:
    """The kata's tests that can only be judged in-process, and why (its kata.toml)."""
    try:
        data = tomllib.loads((kata / "kata.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}  # verify and the kata's own checks report a broken kata.toml
    section = data.get("server_mode", {})
    table = section.get("in_process_only", {}) if isinstance(section, dict) else {}
    return {str(name): str(why) for name, why in table.items()} if isinstance(table, dict) else {}


def missing_fixtures(item: pytest.Item) -> list[str]:
    """The fixtures ``item`` uses that server mode does not have (yet)."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return []
    missing = []
    for name in item.fixturenames:  # type: ignore[attr-defined]
        definitions = info.name2fixturedefs.get(name)
        module = getattr(definitions[-1].func, "__module__", "") if definitions else ""
        if name in SERVER_FIXTURES or name.startswith("_dojo"):
            continue
        if module.startswith("dojo.") or name in IN_PROCESS_FIXTURES:
            missing.append(name)
    return missing


# Hooks ---------------------------------------------------------------------------------------


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_fixture_setup(
    fixturedef: pytest.FixtureDef[object], request: pytest.FixtureRequest
) -> Generator[None, object, object]:
    """In server mode: a fixture only the in-process mode has skips the test; once
    pytest-django has made the tests' database, a sandboxed worker may write it."""
    if server_mode(request.config):
        _skip_if_in_process_only(fixturedef, request)
    result = yield
    if fixturedef.argname == "django_db_setup" and server_mode(request.config):
        kata_servers(request.config).share_database()
    return result


def _skip_if_in_process_only(
    fixturedef: pytest.FixtureDef[object], request: pytest.FixtureRequest
) -> None:
    """A fixture only the in-process mode has, asked for while the test runs
    (``request.getfixturevalue``), skips the test: it would run the learner's code in the
    test process."""
    if kata_folder(request.node.path) is None:
        return
    # The harness's own fixtures ask for others (cheap clients, the upstream): only what the
    # kata's test or fixtures ask for is the kata's.
    parent = getattr(request, "_parent_request", None)
    asker = getattr(getattr(parent, "_fixturedef", None), "func", None)
    if getattr(asker, "__module__", "").startswith("dojo."):
        return
    name = fixturedef.argname
    module = getattr(fixturedef.func, "__module__", "")
    if name in SERVER_FIXTURES or name.startswith("_dojo"):
        return
    if module.startswith("dojo.") or name in IN_PROCESS_FIXTURES:
        reason = f"{SKIP_PREFIX}it uses `{name}`, which only the in-process mode has"
        # Reported at the test, as the skips decided at collection are.
        skip = pytest.skip.Exception(reason, _use_item_location=True)
        # Kept as pytest keeps a fixture's own failure: the fixture is then torn down, and
        # the next test that asks for it (another kata's) finds it clean, not half set up.
        key = fixturedef.cache_key(request)  # type: ignore[arg-type]  # a SubRequest, here
        fixturedef.cached_result = (None, key, (skip, None))
        raise skip


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In server mode: skip what cannot run there yet, and start the first kata's worker
    while pytest sets up."""
    if not server_mode(config):
        return
    order: list[Path] = []
    for item in items:
        kata = kata_folder(item.path)
        if kata is None:
            continue
        why = in_process_only(kata).get(getattr(item, "originalname", item.name))
        missing = missing_fixtures(item)
        if why is not None:
            item.add_marker(pytest.mark.skip(reason=f"{SKIP_PREFIX}judged in-process only: {why}"))
        elif missing:
            names = ", ".join(f"`{name}`" for name in missing)
            item.add_marker(
                pytest.mark.skip(
                    reason=f"{SKIP_PREFIX}it uses {names}, which only the in-process mode has"
                )
            )
        elif kata not in order:
            order.append(kata)
    config.stash[order_key] = order
    if order:
        kata_servers(config).start(order[0])


def pytest_unconfigure(config: pytest.Config) -> None:
    servers = config.stash.get(servers_key, None)
    if servers is not None:
        servers.close()
