"""Server mode (``--server``): the same kata tests, against the kata served by uvicorn.

A fake kata runs in a child pytest, in server mode and in-process: the learner's module is
never imported by the test process, a blocking view fails on the outside probe, the
upstream's call log, payloads and every way it fails work over the socket, a kata that
cannot be imported says why, both modes give the same verdicts, and no process is left
once a run ends, even one interrupted with Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dojo.course.testrun import FAILED, PASSED, SKIPPED, TestRun, run_pytest
from tests.fakekata import copy_project
from tests.test_serve_and_load import assert_no_process_left, processes_in

VIEWS = """
import asyncio
import json
import logging
import os
import time

import httpx
from django.core.cache import cache
from django.http import JsonResponse

from .models import Note

URL = "http://weather.example/forecast"


async def blocking(request):
    time.sleep(0.3)  # TODO: the blocking line
    return JsonResponse({"ok": True})


async def awaiting(request):
    await asyncio.sleep(0.3)
    return JsonResponse({"ok": True})


async def forecast(request):
    try:
        async with httpx.AsyncClient(timeout=1.0) as client:
            response = await client.get(URL, params={"city": request.GET["city"]})
            response.raise_for_status()
            return JsonResponse(response.json())
    except (httpx.HTTPError, json.JSONDecodeError) as error:
        return JsonResponse({"error": type(error).__name__}, status=502)


async def broken(request):
    raise ValueError("no forecast today")


async def sync_call(request):
    response = httpx.get(URL, params={"city": "Oslo"})  # TODO: a sync client on the loop
    return JsonResponse(response.json())


async def forgotten(request):
    asyncio.sleep(0)  # TODO: never awaited
    return JsonResponse({"ok": True})


def plain(request):
    return JsonResponse({"ok": True})


async def notes(request):
    return JsonResponse({"notes": [note.text async for note in Note.objects.order_by("pk")]})


async def notes_on_loop(request):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "1"
    try:
        return JsonResponse({"count": Note.objects.count()})  # TODO: a sync query on the loop
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


async def cached(request):
    return JsonResponse({"value": await cache.aget("value")})


async def leaves_a_task(request):
    asyncio.create_task(asyncio.sleep(1))  # TODO: left running
    return JsonResponse({"ok": True})


async def count_in_a_thread(request):
    loop = asyncio.get_running_loop()
    count = await loop.run_in_executor(None, Note.objects.count)  # TODO: left open
    return JsonResponse({"count": count})


async def headers(request):
    return JsonResponse({"host": request.get_host(), "agent": request.headers["User-Agent"]})


async def logged(request):
    logging.getLogger("katas.orders").warning("order %s noted", request.GET["order"])
    logging.getLogger("katas.orders").debug("not heard: below the level asked for")
    return JsonResponse({"ok": True})
"""

URLS = """
from django.urls import path

from . import views

urlpatterns = [
    path(f"{name}/", getattr(views, name))
    for name in (
        "blocking", "awaiting", "forecast", "broken", "sync_call", "forgotten", "plain", "notes",
        "notes_on_loop", "cached", "leaves_a_task",
        "count_in_a_thread", "logged", "headers",
    )
]
"""

APPS = """
from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "katas.{name}"
    label = "kata{name}"
"""

MODELS = """
from django.db import models


class Note(models.Model):
    text = models.CharField(max_length=100)
"""

TESTS = """
import sys

import pytest
from django.core.cache import cache

from .models import Note

FORECAST = "http://weather.example/forecast"


async def test_blocking_view(app):
    (await app.get("/blocking/")).assert_json({"ok": True})


async def test_blocking_burst(burst):
    report = await burst("/blocking/", n=3)
    report.assert_served_concurrently()


async def test_awaiting_burst(burst):
    report = await burst("/awaiting/", n=3)
    report.assert_all_status(200)
    report.assert_served_concurrently()
    report.assert_loop_not_blocked()


async def test_forecast_from_the_upstream(burst, upstream, rng):
    temperature = rng.randint(-20, 30)
    route = upstream.get(FORECAST, json=lambda request: {
        "city": request.url.params["city"], "t": temperature
    }, latency=0.2)
    report = await burst("/forecast/?city=Oslo", n=3)
    for response in report.responses:
        response.assert_json({"city": "Oslo", "t": temperature})
    assert route.call_count == 3
    upstream.assert_calls_overlapped(3)


async def test_a_broken_upstream_is_a_502(app, upstream, upstream_failure):
    route = upstream.get(FORECAST, json={"t": 1}, latency=0.05).breaks(upstream_failure)
    response = await app.get("/forecast/?city=Oslo")
    response.assert_status(502, "Bad Gateway")
    assert [call.failure for call in route.calls] == [upstream_failure]


async def test_a_slow_upstream_meets_the_clients_timeout(app, upstream):
    route = upstream.get(FORECAST, json={"t": 1}, latency=3.0)
    response = await app.get("/forecast/?city=Oslo")
    assert response.json() == {"error": "ReadTimeout"}
    call = route.calls[0]
    assert not call.cancelled and 0.9 < call.end - call.start < 2.5


async def test_broken_view(app):
    (await app.get("/broken/")).assert_json({"ok": True})


async def test_sync_client(app, upstream):
    upstream.get(FORECAST, json={"t": 1}, latency=0.01)
    (await app.get("/sync_call/")).assert_json({"t": 1})


async def test_forgotten_coroutine(app):
    (await app.get("/forgotten/")).assert_json({"ok": True})


async def test_plain_view_answers(app):
    (await app.get("/plain/")).assert_json({"ok": True})


def test_plain_view_is_async(assert_async_view):
    assert_async_view("/plain/")


def test_awaiting_view_is_async(assert_async_view):
    assert_async_view("/awaiting/")


async def test_the_server_reads_the_tests_rows(app, database, rng):
    texts = [str(rng.random()) for _ in range(3)]
    for text in texts:
        await Note.objects.acreate(text=text)
    (await app.get("/notes/")).assert_json({"notes": texts})
    await Note.objects.filter(text=texts[0]).adelete()
    (await app.get("/notes/")).assert_json({"notes": texts[1:]})


async def test_each_test_starts_with_no_rows(app, database):
    (await app.get("/notes/")).assert_json({"notes": []})


async def test_a_query_on_the_loop_is_reported(app, database):
    await Note.objects.acreate(text="one")
    (await app.get("/notes_on_loop/")).assert_json({"count": 1})
    database.assert_no_query_on_loop()


async def test_the_server_sees_the_tests_cache(app, rng):
    value = rng.random()
    await cache.aset("value", value)
    (await app.get("/cached/")).assert_json({"value": value})
    await cache.aclear()
    (await app.get("/cached/")).assert_json({"value": None})


async def test_a_task_left_running(app):
    (await app.get("/leaves_a_task/")).assert_json({"ok": True})


async def test_a_connection_left_open(app, database):
    (await app.get("/count_in_a_thread/")).assert_json({"count": 0})


async def test_the_views_log_is_heard(app, caplog, rng):
    order = rng.randint(1000, 9999)
    (await app.get(f"/logged/?order={order}")).assert_json({"ok": True})
    heard = [(r.name, r.levelname, r.getMessage()) for r in caplog.records]
    assert heard == [("katas.orders", "WARNING", f"order {order} noted")], heard


async def test_requests_come_to_the_sites_own_host_from_a_browser(app):
    from django.conf import settings

    browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    (await app.get("/headers/")).assert_json(
        {"host": settings.SITE_HOST, "agent": browser + "Chrome/131.0.0.0 Safari/537.36"}
    )


def test_zz_the_learner_module_was_never_imported():
    imported = [name for name in sys.modules if name.startswith("katas.") and "views" in name]
    assert imported == []
"""

# The only test whose verdict differs between the modes: it looks into the test process.
IN_PROCESS_ONLY = "test_zz_the_learner_module_was_never_imported"


def write_fake_kata(root: Path, name: str, views: str = VIEWS) -> Path:
    kata = root / "katas" / name
    kata.mkdir()
    (kata / "views.py").write_text(views.lstrip())
    (kata / "urls.py").write_text(URLS.lstrip())
    (kata / "test_kata.py").write_text(TESTS.lstrip())
    (kata / "apps.py").write_text(APPS.replace("{name}", name).lstrip())
    (kata / "models.py").write_text(MODELS.lstrip())
    return kata


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not Path("/proc/self/cwd").exists():
        pytest.skip("these tests find leftover processes through /proc")
    root = copy_project(tmp_path_factory.mktemp("server")).resolve()
    write_fake_kata(root, "91_served")
    return root


@pytest.fixture(scope="module")
def served(root: Path) -> TestRun:
    """The fake kata's tests in server mode."""
    run = run_pytest(["-p", "no:cacheprovider", "--tb=short", "--server"], cwd=root)
    assert_no_process_left(root)
    return run


@pytest.fixture(scope="module")
def in_process(root: Path) -> TestRun:
    """The same tests in-process."""
    return run_pytest(["-p", "no:cacheprovider", "--tb=short"], cwd=root)


def outcome(run: TestRun, test: str) -> str:
    return run.outcomes[f"katas/91_served/test_kata.py::{test}"].outcome


def message(run: TestRun, test: str) -> str:
    return run.outcomes[f"katas/91_served/test_kata.py::{test}"].message


def test_the_test_process_never_imports_the_learners_module(served: TestRun) -> None:
    assert outcome(served, IN_PROCESS_ONLY) == PASSED, served.output


def test_a_blocking_view_fails_on_the_outside_probe_naming_the_line(served: TestRun) -> None:
    assert outcome(served, "test_blocking_view") == FAILED
    text = message(served, "test_blocking_view")
    assert "loop_held" in text
    assert "a probe request to the server waited" in text
    assert "katas/91_served/views.py:17" in text and "time.sleep(0.3)" in text


def test_requests_that_queue_are_not_served_concurrently(served: TestRun) -> None:
    assert outcome(served, "test_blocking_burst") == FAILED
    assert "at most 1 was inside the view at once" in message(served, "test_blocking_burst")


def test_an_awaiting_view_passes_the_overlap_and_probe_checks(served: TestRun) -> None:
    assert outcome(served, "test_awaiting_burst") == PASSED, message(served, "test_awaiting_burst")


def test_the_upstreams_payloads_and_call_log_work_over_the_socket(served: TestRun) -> None:
    test = "test_forecast_from_the_upstream"
    assert outcome(served, test) == PASSED, message(served, test)


def test_every_way_an_upstream_fails_reaches_the_view_over_the_socket(served: TestRun) -> None:
    failures = {
        nodeid: result.outcome
        for nodeid, result in served.outcomes.items()
        if "test_a_broken_upstream_is_a_502[" in nodeid
    }
    assert len(failures) == 9
    assert set(failures.values()) == {PASSED}, served.output


def test_the_clients_read_timeout_ends_the_call_as_in_process(served: TestRun) -> None:
    test = "test_a_slow_upstream_meets_the_clients_timeout"
    assert outcome(served, test) == PASSED, message(served, test)


def test_a_500_names_the_servers_exception_and_the_learners_line(served: TestRun) -> None:
    text = message(served, "test_broken_view")
    assert "returned 500 (ValueError: no forecast today)" in text
    assert "katas/91_served/views.py:37" in text


def test_the_servers_inside_reports_add_failures_the_outside_cannot_see(
    served: TestRun,
) -> None:
    sync_call = message(served, "test_sync_client")
    assert "a sync HTTP call (GET http://weather.example/forecast?city=Oslo)" in sync_call
    assert "katas/91_served/views.py:41" in sync_call
    forgotten = message(served, "test_forgotten_coroutine")
    assert "the coroutine sleep() was created and never awaited" in forgotten
    assert "katas/91_served/views.py:46" in forgotten


def test_a_sync_view_breaks_the_house_rule_and_fails_the_async_view_check(
    served: TestRun,
) -> None:
    assert outcome(served, "test_plain_view_answers") == FAILED
    assert "answered by plain(), a plain `def` view" in message(served, "test_plain_view_answers")
    assert outcome(served, "test_plain_view_is_async") == FAILED
    assert "/plain/ is answered by plain(), a plain `def` view" in message(
        served, "test_plain_view_is_async"
    )
    test = "test_awaiting_view_is_async"
    assert outcome(served, test) == PASSED, message(served, test)


def test_the_server_answers_from_the_rows_the_test_made_and_each_test_starts_empty(
    served: TestRun,
) -> None:
    for test in ("test_the_server_reads_the_tests_rows", "test_each_test_starts_with_no_rows"):
        assert outcome(served, test) == PASSED, message(served, test)


def test_a_task_the_server_left_running_breaks_the_house_rule(served: TestRun) -> None:
    text = message(served, "test_a_task_left_running")
    assert "task_left_running" in text
    assert "a task running sleep() was still running after the response" in text
    assert "katas/91_served/views.py:71" in text


def test_a_connection_the_server_left_open_breaks_the_house_rule(served: TestRun) -> None:
    text = message(served, "test_a_connection_left_open")
    assert "db_connection_left_open" in text
    assert "While serving GET /count_in_a_thread/, a database connection was opened" in text


def test_nothing_in_a_request_tells_the_served_site_it_is_under_test(
    served: TestRun, in_process: TestRun
) -> None:
    # Graded code runs served: a view that answers well only to the tests must not see them.
    test = "test_requests_come_to_the_sites_own_host_from_a_browser"
    for run in (served, in_process):
        assert outcome(run, test) == PASSED, message(run, test)


def test_the_server_and_the_test_share_one_cache(served: TestRun) -> None:
    test = "test_the_server_sees_the_tests_cache"
    assert outcome(served, test) == PASSED, message(served, test)


def test_a_query_the_server_ran_on_its_loop_joins_the_tests_query_log(served: TestRun) -> None:
    text = message(served, "test_a_query_on_the_loop_is_reported")
    assert "1 SQL query ran on the event loop's thread" in text
    assert "katas/91_served/views.py:61" in text and "Note.objects.count()" in text


def test_both_modes_give_every_test_the_same_verdict(served: TestRun, in_process: TestRun) -> None:
    verdicts = {
        nodeid: (result.outcome, served.outcomes[nodeid].outcome)
        for nodeid, result in in_process.outcomes.items()
        if not nodeid.endswith(IN_PROCESS_ONLY)
    }
    assert len(verdicts) == 28
    assert {nodeid: both for nodeid, both in verdicts.items() if both[0] != both[1]} == {}


def test_a_kata_that_cannot_be_imported_says_why(root: Path, tmp_path: Path) -> None:
    broken = copy_project(tmp_path).resolve()
    write_fake_kata(broken, "92_broken", views="import nowhere_to_be_found  # TODO\n")
    run = run_pytest(["-p", "no:cacheprovider", "--server", "-k", "blocking_view"], cwd=broken)
    result = run.outcomes["katas/92_broken/test_kata.py::test_blocking_view"]
    assert result.outcome == "error"
    assert "The kata's server could not start" in result.message
    assert "No module named 'nowhere_to_be_found'" in result.message
    assert_no_process_left(broken)


def test_caplog_hears_what_the_view_logged_on_the_server(
    served: TestRun, in_process: TestRun
) -> None:
    for run in (served, in_process):
        test = "test_the_views_log_is_heard"
        assert outcome(run, test) == PASSED, message(run, test)


def test_a_test_that_needs_the_in_process_harness_is_skipped_with_the_reason(
    tmp_path: Path,
) -> None:
    root = copy_project(tmp_path).resolve()
    kata = write_fake_kata(root, "93_skipped")
    (kata / "test_kata.py").write_text(
        "def test_logs(capsys):\n    assert not capsys.readouterr().out\n\n\n"
        "async def test_inside(app):\n    (await app.get('/awaiting/')).assert_status(200)\n\n\n"
        "def test_asks_later(request):\n    request.getfixturevalue('capsys')\n\n\n"
        # A later test asks again: the first skip must leave the fixture clean behind it.
        "def test_asks_later_again(request):\n    request.getfixturevalue('capsys')\n"
    )
    (kata / "kata.toml").write_text(
        '[server_mode.in_process_only]\ntest_inside = "it looks into the test process"\n'
    )
    run = run_pytest(["-p", "no:cacheprovider", "--server", "-rs"], cwd=root)
    for test in ("test_logs", "test_inside", "test_asks_later", "test_asks_later_again"):
        assert run.outcomes[f"katas/93_skipped/test_kata.py::{test}"].outcome == SKIPPED
    assert "not run in server mode: it uses `capsys`" in run.output
    assert "judged in-process only: it looks into the test process" in run.output


SPINS = {
    "sync": (
        "    while True:  # TODO\n        pass\n",
        "still running sync code on the event loop",
    ),
    "async": (
        "    while True:\n        await asyncio.sleep(0.01)  # TODO\n",
        "still waiting (an await, or a loop of awaits, that never ends)",
    ),
}


@pytest.mark.parametrize("spin", sorted(SPINS))
def test_a_view_that_never_answers_fails_naming_its_line_and_its_server_is_stopped(
    tmp_path: Path, spin: str
) -> None:
    root = copy_project(tmp_path).resolve()
    body, how = SPINS[spin]
    spinning = VIEWS + f"\n\nasync def spins(request):\n{body}"
    kata = write_fake_kata(root, "95_spins", views=spinning)
    (kata / "urls.py").write_text(URLS.replace('"leaves_a_task",', '"leaves_a_task", "spins",'))
    (kata / "test_kata.py").write_text(
        "async def test_spin(app):\n    (await app.get('/spins/')).assert_status(200)\n\n\n"
        "async def test_after(app):\n    (await app.get('/awaiting/')).assert_status(200)\n"
    )
    run = run_pytest(["-p", "no:cacheprovider", "--server"], cwd=root)
    spin_test = run.outcomes["katas/95_spins/test_kata.py::test_spin"]
    assert spin_test.outcome == FAILED
    assert "did not answer within 4 s" in spin_test.message
    assert f"The view was {how}" in spin_test.message
    # The worker said where its view was, though its loop never came back.
    assert "katas/95_spins/views.py:" in spin_test.message
    assert "# TODO" in spin_test.message
    assert "exception" not in run.output
    assert run.outcomes["katas/95_spins/test_kata.py::test_after"].outcome == SKIPPED
    assert_no_process_left(root)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL], ids=["ctrl_c", "killed"])
def test_no_server_outlives_an_interrupted_run(tmp_path: Path, stop: signal.Signals) -> None:
    root = copy_project(tmp_path).resolve()
    kata = write_fake_kata(root, "94_interrupted")
    (kata / "test_kata.py").write_text(
        "import asyncio\nfrom pathlib import Path\n\n\nasync def test_waits(app):\n"
        "    await app.get('/awaiting/')\n    Path('served').touch()\n"
        "    await asyncio.sleep(60)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--server", "-q"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    try:
        deadline = time.monotonic() + 60
        while not (root / "served").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert (root / "served").exists(), "the test never got its answer"
        assert len(processes_in(root)) == 2  # pytest and the worker
        child.send_signal(stop)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert_no_process_left(root)
