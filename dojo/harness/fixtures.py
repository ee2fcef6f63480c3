"""The fixtures kata tests use, so that a kata's tests read like its specification."""

from __future__ import annotations

import contextlib
import importlib
import random
from collections.abc import Awaitable, Callable, Iterator

import pytest

from dojo.harness.asgi import App, BurstReport, error_site
from dojo.harness.config import IMPORT_FAILED, kata_folder, settings_key
from dojo.harness.deadline import hung_before, note_hang
from dojo.harness.plugin import first_failures
from dojo.harness.remote import RemoteApp
from dojo.harness.servedclients import check_loops_kept_apart, note_clients_left_open
from dojo.harness.servedtasks import end_background_work
from dojo.harness.servermode import (
    kata_servers,
    restart_after_hang,
    server_mode,
    site_for,
    upstream_served,
)
from dojo.harness.upstream import Upstream
from dojo.server.redirect import PROXY_VARIABLES

FAILURE_TIME_SCALE = 0.1


@pytest.fixture
def upstream(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Upstream]:
    """Fake upstream HTTP services, under httpx's connection pool: routes with network-like
    latency, payloads, failures and hangs; records every call. Other hosts fail to connect.
    In a test that takes ``upstream_failure``, every latency is ten times shorter."""
    for variable in PROXY_VARIABLES:
        # A proxy would take the view's connections elsewhere; the fake is the network here.
        monkeypatch.delenv(variable, raising=False)
        monkeypatch.delenv(variable.upper(), raising=False)
    fake = Upstream()
    if "upstream_failure" in request.fixturenames:
        # The test runs once per way a service fails, and is about what the view does with
        # the failure: every service answers ten times faster than its latency says.
        fake.time_scale = FAILURE_TIME_SCALE
    served = (
        upstream_served(request.config, fake)
        if server_mode(request.config)
        else contextlib.nullcontext()
    )
    with fake.network(), served:
        yield fake
    fake._release()


@pytest.fixture(autouse=True)
def _dojo_no_network(request: pytest.FixtureRequest) -> None:
    """Kata tests never reach the real network: the fake upstream answers, or the
    connection fails."""
    if kata_folder(request.node.path) is not None:
        request.getfixturevalue("upstream")


@pytest.fixture(autouse=True)
def _dojo_kata_imports(request: pytest.FixtureRequest) -> None:
    """A kata's code that cannot be imported fails each test with the learner's line,
    not with a 500 from deep inside Django."""
    kata = kata_folder(request.node.path)
    if kata is None:
        return
    hung = hung_before(request.config, kata)
    if hung is not None:
        pytest.skip(f"not run: the view of {hung} never answered (see its failure above)")
    failed = first_failures(request.config).get(kata)
    if failed is not None:
        pytest.skip(f"not run: {failed} failed, and --dojo-first-failure asks for no more")
    if server_mode(request.config):
        return  # the worker imports the kata's code, and says so if it cannot (site_for)
    module = f"katas.{kata.name}.urls"
    try:
        importlib.import_module(module)
    except Exception as error:
        problem = error
    else:
        return
    # Failing outside the except block keeps "During handling of the above exception" out.
    site = error_site(problem, request.config.stash[settings_key].code_roots)
    where = f"\n  {site}" if site else ""
    pytest.fail(
        f"{IMPORT_FAILED}: {type(problem).__name__}: {problem}{where}\n"
        "Fix this first: no test can run until the module imports.",
        pytrace=False,
    )


@pytest.fixture
def app(request: pytest.FixtureRequest) -> Iterator[App | RemoteApp]:
    """The kata's Django site, reached through a real ASGIHandler, one
    ThreadSensitiveContext per request (in server mode, over HTTP to the kata served by
    uvicorn): ``response = await app.get("/path")``."""
    rules = request.getfixturevalue("_dojo_house_rules")
    code_roots = request.config.stash[settings_key].code_roots
    django_app: App | RemoteApp
    worker_port = None
    if server_mode(request.config):
        site = site_for(request)
        worker_port = site.port
        calls = kata_servers(request.config).upstream
        django_app = RemoteApp(
            site.url(""),
            code_roots,
            rules=rules,
            worker_pid=site.worker_pid,
            sync_calls=lambda: calls.sync_calls_on_loop,
        )
        if rules is not None:
            rules.finishers.append(django_app.note_left_behind)
            rules.finishers.append(lambda: note_clients_left_open(django_app, calls, rules))
            rules.finishers.append(lambda: check_loops_kept_apart(django_app, calls))
    else:
        django_app = App(code_roots, rules=rules)
    with django_app:
        yield django_app
    if worker_port is not None and not django_app.hung:
        end_background_work(worker_port)
    if django_app.hung:
        kata = kata_folder(request.node.path)
        note_hang(request.config, kata, request.node.name)
        if server_mode(request.config) and kata is not None:
            restart_after_hang(request.config, kata)


@pytest.fixture
def burst(app: App | RemoteApp) -> Callable[..., Awaitable[BurstReport]]:
    """Fire N requests at once: ``report = await burst("/path", n=10)``; the report has
    statuses, a timeline, the peak of requests in flight and the longest loop stall."""
    return app.burst


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> random.Random:
    """Random data for upstream payloads, new each run (so hard-coded answers fail) and
    replayable with --dojo-seed."""
    seed = request.config.stash[settings_key].seed
    return random.Random(f"{seed}:{request.node.nodeid}")
