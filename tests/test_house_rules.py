"""The house rules, seen from a kata's tests: a fake kata whose views each break one rule,
run by pytest in a child process. A test whose own checks pass still fails, naming the rule,
the request and the learner's line; a clean view passes; a kata.toml can turn a rule off
only with a reason.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest

from dojo.course.catalog import KataConfigError, load_kata
from dojo.course.testrun import TestRun, run_pytest
from dojo.harness.loopwatch import _starting_a_thread
from tests.fakekata import copy_project

VIEWS = """
import asyncio
import select
import time

import httpx
from asgiref.sync import sync_to_async
from django.http import JsonResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

URL = "http://weather.example/forecast"


async def clean(request):
    async with httpx.AsyncClient() as client:
        response = await client.get(URL)
    return JsonResponse(response.json())


async def sliced_sleep(request):
    for _ in range(20):
        time.sleep(0.01)
        await asyncio.sleep(0)
    return JsonResponse({"ok": True})


async def tiny_slices(request):
    for _ in range(300):
        select.select([], [], [], 0.001)
        await asyncio.sleep(0)
    return JsonResponse({"ok": True})


async def one_blocking_call(request):
    time.sleep(0.25)
    return JsonResponse({"ok": True})


async def busy_wait(request):
    done = time.monotonic() + 0.3
    while time.monotonic() < done:
        await asyncio.sleep(0)
    return JsonResponse({"ok": True})


async def timeout_spin(request):
    done = asyncio.Event()
    asyncio.get_running_loop().call_later(0.3, done.set)
    while not done.is_set():
        await asyncio.wait([asyncio.ensure_future(done.wait())], timeout=0.001)
    return JsonResponse({"ok": True})


async def polls(request):
    done = time.monotonic() + 0.3
    while time.monotonic() < done:
        await asyncio.sleep(0.02)
    return JsonResponse({"ok": True})


async def fetch():
    return {"ok": True}


async def unawaited(request):
    fetch()
    return JsonResponse({"ok": True})


async def left_running(request):
    asyncio.create_task(asyncio.sleep(0.5))
    return JsonResponse({"ok": True})


async def forgotten_quick_task(request):
    asyncio.create_task(asyncio.sleep(0))
    return JsonResponse({"ok": True})


async def streams_a_task(request):
    task = asyncio.create_task(asyncio.sleep(0.01, result=b'{"ok": true}'))

    async def body():
        yield await task

    return StreamingHttpResponse(body(), content_type="application/json")


async def client_left_open(request):
    client = httpx.AsyncClient()
    response = await client.get(URL)
    return JsonResponse(response.json())


async def sync_client_left_open(request):
    client = httpx.Client()
    response = await asyncio.to_thread(client.get, URL)
    return JsonResponse(response.json())


async def sync_client_closed(request):
    def fetch():
        with httpx.Client() as client:
            return client.get(URL).json()

    return JsonResponse(await asyncio.to_thread(fetch))


async def thread_left_running(request):
    asyncio.get_running_loop().run_in_executor(None, time.sleep, 0.5)
    return JsonResponse({"ok": True})


def sync_view(request):
    return JsonResponse({"ok": True})


decorated_sync_view = require_GET(sync_to_async(sync_view))
"""

URLS = """
from django.urls import path

from . import views

urlpatterns = [
    path(f"{name.replace('_', '-')}/", getattr(views, name))
    for name in ("clean", "sliced_sleep", "tiny_slices", "one_blocking_call", "busy_wait",
                 "timeout_spin", "polls", "unawaited", "left_running", "thread_left_running", "forgotten_quick_task",
                 "streams_a_task", "client_left_open",
                 "sync_client_left_open", "sync_client_closed", "sync_view",
                 "decorated_sync_view")
]
"""

TESTS = """
import pytest

FORECAST = "http://weather.example/forecast"


@pytest.fixture(autouse=True)
def forecast(upstream):
    upstream.get(FORECAST, json={"ok": True}, latency=0.05)


@pytest.mark.parametrize(
    "path",
    ["/clean/", "/sliced-sleep/", "/tiny-slices/", "/one-blocking-call/", "/busy-wait/",
     "/timeout-spin/", "/polls/", "/unawaited/", "/left-running/", "/thread-left-running/",
     "/forgotten-quick-task/", "/streams-a-task/", "/client-left-open/",
     "/sync-client-left-open/", "/sync-client-closed/", "/sync-view/",
     "/decorated-sync-view/"],
)
async def test_answers(app, path):
    response = await app.get(path)
    response.assert_json({"ok": True})


async def test_a_clean_burst(burst):
    report = await burst("/clean/", n=5)
    report.assert_all_status(200)
"""

OFF = """
title = "Rules off"
level = 1
concepts = ["house rules"]
files = ["views.py"]
failing = []
hints = ["one", "two", "three"]

[house_rules]
task_left_running = "the lesson is background work: the tests wait for the task themselves"
"""


def run_fake_kata(root: Path, *options: str) -> TestRun:
    """The fake kata's tests, run in a copy of the project at ``root``."""
    copy_project(root)
    kata = root / "katas" / "92_rules"
    kata.mkdir()
    (kata / "views.py").write_text(VIEWS.lstrip())
    (kata / "urls.py").write_text(URLS.lstrip())
    (kata / "test_kata.py").write_text(TESTS.lstrip())
    return run_pytest(["-p", "no:cacheprovider", "--tb=short", *options], cwd=root)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> TestRun:
    """One run of the fake kata's tests, shared by the assertions below."""
    return run_fake_kata(tmp_path_factory.mktemp("rules"))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> TestRun:
    """The same tests against the fake kata served (server mode)."""
    return run_fake_kata(tmp_path_factory.mktemp("served-rules"), "--server")


def site(view: str, source: str) -> str:
    """How a message shows the line of ``view`` in the fake kata that holds ``source``."""
    lines = [line.strip() for line in VIEWS.lstrip().splitlines()]
    start = next(
        number for number, line in enumerate(lines) if line.startswith(f"async def {view}(")
    )
    line = lines.index(source, start) + 1
    return f"katas/92_rules/views.py:{line}\n    {source}"


def outcome(run: TestRun, path: str) -> str:
    return run.outcomes[f"katas/92_rules/test_kata.py::test_answers[{path}]"].outcome


def message(run: TestRun, path: str) -> str:
    return run.output.split(f"_ test_answers[{path}] _", 1)[-1].split("\n___", 1)[0]


def test_a_view_that_keeps_the_rules_passes(run: TestRun) -> None:
    assert outcome(run, "/clean/") == "passed"
    assert run.outcomes["katas/92_rules/test_kata.py::test_a_clean_burst"].outcome == "passed"


def test_a_blocking_call_cut_into_slices_still_holds_the_loop(run: TestRun) -> None:
    assert outcome(run, "/sliced-sleep/") == "failed"
    shown = message(run, "/sliced-sleep/")
    assert "House rule broken: the event loop is never held for long" in shown
    assert "(loop_held)" in shown
    assert "While serving GET /sliced-sleep/, " in shown
    assert site("sliced_sleep", "time.sleep(0.01)") in shown


def test_slices_too_short_to_catch_one_by_one_still_add_up(run: TestRun) -> None:
    assert outcome(run, "/tiny-slices/") == "failed"
    shown = message(run, "/tiny-slices/")
    assert "(loop_held)" in shown
    assert site("tiny_slices", "select.select([], [], [], 0.001)") in shown


def test_one_long_blocking_call_holds_the_loop(run: TestRun) -> None:
    assert outcome(run, "/one-blocking-call/") == "failed"
    shown = message(run, "/one-blocking-call/")
    assert "the event loop went 0.2" in shown
    assert "time.sleep(0.25)" in shown


def test_a_busy_wait_shows_in_the_loops_cpu_time(run: TestRun) -> None:
    assert outcome(run, "/busy-wait/") == "failed"
    shown = message(run, "/busy-wait/")
    assert "(busy_loop)" in shown
    assert site("busy_wait", "await asyncio.sleep(0)") in shown


def test_a_busy_wait_on_short_timeouts_is_a_busy_wait_too(run: TestRun) -> None:
    assert outcome(run, "/timeout-spin/") == "failed"
    shown = message(run, "/timeout-spin/")
    assert "(busy_loop)" in shown
    assert "katas/92_rules/views.py" in shown


def test_polling_every_few_tens_of_milliseconds_is_not_a_busy_wait(run: TestRun) -> None:
    assert outcome(run, "/polls/") == "passed"


def test_an_unawaited_coroutine_is_named_with_its_line(run: TestRun) -> None:
    assert outcome(run, "/unawaited/") == "failed"
    shown = message(run, "/unawaited/")
    assert "(unawaited_coroutine)" in shown
    assert "the coroutine fetch() was created and never awaited" in shown
    assert site("unawaited", "fetch()") in shown


def test_a_task_left_running_after_the_response_is_named(run: TestRun) -> None:
    assert outcome(run, "/left-running/") == "failed"
    shown = message(run, "/left-running/")
    assert "(task_left_running)" in shown
    assert "While serving GET /left-running/, a task running sleep() was still running" in shown


def test_a_task_the_view_does_not_await_is_left_running_however_soon_it_ends(
    run: TestRun,
) -> None:
    assert outcome(run, "/forgotten-quick-task/") == "failed"
    shown = message(run, "/forgotten-quick-task/")
    assert "(task_left_running)" in shown
    assert "was still running when the view returned" in shown
    assert site("forgotten_quick_task", "asyncio.create_task(asyncio.sleep(0))") in shown


def test_a_streamed_body_may_await_a_task_its_view_started(run: TestRun) -> None:
    assert outcome(run, "/streams-a-task/") == "passed", message(run, "/streams-a-task/")


def test_work_left_running_in_a_thread_is_named(run: TestRun) -> None:
    assert outcome(run, "/thread-left-running/") == "failed"
    shown = message(run, "/thread-left-running/")
    assert "work handed to a thread (sleep()) was still running" in shown


def test_a_client_dropped_unclosed_is_named(run: TestRun) -> None:
    assert outcome(run, "/client-left-open/") == "failed"
    shown = message(run, "/client-left-open/")
    assert "(client_left_open)" in shown
    assert site("client_left_open", "client = httpx.AsyncClient()") in shown


def test_a_sync_client_dropped_unclosed_is_named_and_a_closed_one_is_fine(run: TestRun) -> None:
    assert outcome(run, "/sync-client-closed/") == "passed", message(run, "/sync-client-closed/")
    assert outcome(run, "/sync-client-left-open/") == "failed"
    shown = message(run, "/sync-client-left-open/")
    assert "an httpx.Client was dropped without being closed" in shown
    assert site("sync_client_left_open", "client = httpx.Client()") in shown


def test_a_sync_view_wrapped_in_sync_to_async_under_a_decorator_breaks_the_async_rule(
    run: TestRun,
) -> None:
    assert outcome(run, "/decorated-sync-view/") == "failed"
    shown = message(run, "/decorated-sync-view/")
    assert "(async_view)" in shown
    assert "wrapped whole in sync_to_async (under its decorators" in shown


def test_a_sync_view_breaks_the_async_rule(run: TestRun) -> None:
    assert outcome(run, "/sync-view/") == "failed"
    assert "(async_view)" in message(run, "/sync-view/")


# What the worker reports of the rules no probe from outside can see (slices too short to
# wait on, empty turns, clients dropped unclosed) fails a served test as it does in-process.
SERVED_RULES = {
    "/thread-left-running/": "(task_left_running)",
    "/sliced-sleep/": "(loop_held)",
    "/one-blocking-call/": "(loop_held)",
    "/busy-wait/": "(busy_loop)",
    "/timeout-spin/": "(busy_loop)",
    "/unawaited/": "(unawaited_coroutine)",
    "/left-running/": "(task_left_running)",
    "/forgotten-quick-task/": "(task_left_running)",
    "/client-left-open/": "(client_left_open)",
    "/sync-client-left-open/": "(client_left_open)",
    "/sync-view/": "(async_view)",
    "/decorated-sync-view/": "(async_view)",
}


@pytest.mark.parametrize(("path", "rule"), SERVED_RULES.items())
def test_served_a_broken_rule_fails_as_in_process(served: TestRun, path: str, rule: str) -> None:
    assert outcome(served, path) == "failed"
    assert rule in message(served, path)


def test_served_the_worker_names_the_learners_line(served: TestRun) -> None:
    assert site("busy_wait", "await asyncio.sleep(0)") in message(served, "/busy-wait/")
    shown = message(served, "/sliced-sleep/")
    assert "slices of at most" in shown or "time.sleep() ran on the event loop's thread" in shown
    assert site("sliced_sleep", "time.sleep(0.01)") in shown
    shown = message(served, "/client-left-open/")
    assert site("client_left_open", "client = httpx.AsyncClient()") in shown


def test_served_a_view_that_keeps_the_rules_passes(served: TestRun) -> None:
    for path in ("/clean/", "/polls/", "/sync-client-closed/", "/streams-a-task/"):
        assert outcome(served, path) == "passed", message(served, path)
    assert served.outcomes["katas/92_rules/test_kata.py::test_a_clean_burst"].outcome == "passed"


def test_a_kata_turns_a_rule_off_with_a_reason(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    kata = root / "katas" / "93_off"
    kata.mkdir()
    (kata / "views.py").write_text(VIEWS.lstrip())
    (kata / "urls.py").write_text(URLS.lstrip())
    (kata / "test_kata.py").write_text(TESTS.lstrip())
    (kata / "kata.toml").write_text(OFF.lstrip())
    ran = run_pytest(["-p", "no:cacheprovider", "-k", "left"], cwd=root)
    assert ran.outcomes["katas/93_off/test_kata.py::test_answers[/left-running/]"].outcome == (
        "passed"
    )


@pytest.mark.parametrize(
    ("line", "complaint"),
    [
        ('task_left_running = ""', "[house_rules] task_left_running must give the reason"),
        ('slow_is_fine = "why not"', "[house_rules] names 'slow_is_fine', which is no house"),
    ],
)
def test_a_rule_is_off_only_with_a_reason_and_a_real_name(
    tmp_path: Path, line: str, complaint: str
) -> None:
    kata = tmp_path / "katas" / "93_off"
    kata.mkdir(parents=True)
    (kata / "kata.toml").write_text(OFF.split("[house_rules]")[0] + f"[house_rules]\n{line}\n")
    with pytest.raises(KataConfigError) as raised:
        load_kata(kata)
    assert complaint in str(raised.value)


class _SlowToStart(threading.Thread):
    """A thread the machine takes a while to schedule: its starter waits in Thread.start."""

    def _bootstrap(self) -> None:
        time.sleep(0.5)
        super()._bootstrap()  # type: ignore[misc]


def test_waiting_for_a_new_thread_to_start_is_the_machines_wait_not_a_block() -> None:
    starting = threading.Thread(target=lambda: _SlowToStart(target=lambda: None).start())
    starting.start()
    time.sleep(0.2)
    waiting_in_start = _starting_a_thread(sys._current_frames()[starting.ident or 0])
    starting.join()
    sleeping = threading.Thread(target=time.sleep, args=(0.5,))
    sleeping.start()
    time.sleep(0.2)
    waiting_in_sleep = _starting_a_thread(sys._current_frames()[sleeping.ident or 0])
    sleeping.join()

    assert (waiting_in_start, waiting_in_sleep) == (True, False)
