"""``background_tasks`` in server mode: the tasks a view starts live in the worker.

A fake kata whose views start a task that calls a fake service, held by the app or not,
runs in a child pytest in server mode. The garbage collection while the task's call is
parked loses the task nothing held, and the test sees it in the fake's log; a worker that
reports nothing collected cannot make that pass; what the site logged after the response
reaches the test's caplog once the work has settled.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dojo.course.testrun import FAILED, PASSED, TestRun, run_pytest
from tests.fakekata import copy_project
from tests.test_serve_and_load import assert_no_process_left

VIEWS = """
import asyncio
import logging

import httpx
from django.http import JsonResponse

MAIL = "http://mail.example/send"
kept = set()


async def send(what):
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.post(MAIL, json={"what": what})
    if response.status_code >= 500:
        logging.getLogger("katas.mail").error("the %s email failed", what)


async def loose(request):
    asyncio.create_task(send("loose"))  # TODO: nothing holds this task
    return JsonResponse({"ok": True})


async def held(request):
    task = asyncio.create_task(send("held"))
    kept.add(task)
    task.add_done_callback(kept.discard)
    return JsonResponse({"ok": True})


async def forever(request):
    kept.add(asyncio.create_task(asyncio.sleep(60)))
    return JsonResponse({"ok": True})
"""

# A worker that says it collected nothing, whatever it collected.
LYING = """
from dojo.server import backgroundwork

real_collect = backgroundwork._collect


def _collect():
    real_collect()
    return {"parked": [], "collected": []}


backgroundwork._collect = _collect
"""

URLS = """
from django.urls import path

from . import views

urlpatterns = [path(f"{name}/", getattr(views, name)) for name in ("loose", "held", "forever")]
"""

KATA_TOML = """
title = "Background work"
level = 1
concepts = ["background tasks"]
files = ["views.py"]
failing = []
hints = ["one", "two", "three"]

[house_rules]
task_left_running = "the tests wait for the background work themselves"
"""

TESTS = """
import logging

import pytest


@pytest.fixture
def mail(upstream):
    return upstream.post("http://mail.example/send", json={"queued": True}, latency=0.2)


async def emails_go_out(app, mail, background_tasks, path):
    async with background_tasks.collecting_garbage(lambda task: True) as collected:
        (await app.get(path)).assert_status(200)
    await background_tasks.settle()
    background_tasks.assert_none_pending()
    if collected.loose or not mail.calls:
        lost = [task.get_name() for task in collected.loose]
        pytest.fail(f"lost {lost}; {len(mail.calls)} calls of {len(collected.pending)} parked")


async def test_a_held_task(app, mail, background_tasks):
    await emails_go_out(app, mail, background_tasks, "/held/")


async def test_a_loose_task(app, mail, background_tasks):
    await emails_go_out(app, mail, background_tasks, "/loose/")


async def test_a_failure_logged_after_the_response(app, mail, background_tasks, caplog):
    mail.fails(503)
    (await app.get("/held/")).assert_status(200)
    await background_tasks.settle()
    assert [r.getMessage() for r in caplog.records if r.name == "katas.mail"] == [
        "the held email failed"
    ]


async def test_a_task_still_pending(app, background_tasks):
    (await app.get("/forever/")).assert_status(200)
    await background_tasks.settle(0.3)
    background_tasks.assert_none_pending()
"""


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not Path("/proc/self/cwd").exists():
        pytest.skip("these tests find leftover processes through /proc")
    root = copy_project(tmp_path_factory.mktemp("served_background")).resolve()
    for name, views in (("93_background", VIEWS), ("94_lying", VIEWS + LYING)):
        kata = root / "katas" / name
        kata.mkdir()
        (kata / "views.py").write_text(views.lstrip())
        (kata / "urls.py").write_text(URLS.lstrip())
        (kata / "test_kata.py").write_text(TESTS.lstrip())
        (kata / "kata.toml").write_text(KATA_TOML.lstrip())
    return root


@pytest.fixture(scope="module")
def served(root: Path) -> TestRun:
    run = run_pytest(["-p", "no:cacheprovider", "--tb=short", "--server"], cwd=root)
    assert_no_process_left(root)
    return run


def outcome(run: TestRun, kata: str, test: str) -> tuple[str, str]:
    found = run.outcomes[f"katas/{kata}/test_kata.py::{test}"]
    return found.outcome, found.message


def test_a_task_the_app_holds_survives_the_collection_and_its_call_goes_out(
    served: TestRun,
) -> None:
    assert outcome(served, "93_background", "test_a_held_task")[0] == PASSED, served.output


def test_a_task_nothing_holds_is_collected_and_its_call_never_reaches_the_fake(
    served: TestRun,
) -> None:
    verdict, text = outcome(served, "93_background", "test_a_loose_task")
    assert verdict == FAILED, served.output
    assert "0 calls of 1 parked" in text and "send()" not in text


def test_a_worker_that_hides_what_it_collected_still_fails_on_the_fakes_log(
    served: TestRun,
) -> None:
    verdict, text = outcome(served, "94_lying", "test_a_loose_task")
    assert verdict == FAILED, served.output
    assert "lost []; 0 calls of 0 parked" in text


def test_what_the_task_logged_after_the_response_reaches_caplog(served: TestRun) -> None:
    verdict, _ = outcome(served, "93_background", "test_a_failure_logged_after_the_response")
    assert verdict == PASSED, served.output


def test_a_task_left_pending_fails_naming_it_and_its_lines(served: TestRun) -> None:
    verdict, text = outcome(served, "93_background", "test_a_task_still_pending")
    assert verdict == FAILED, served.output
    assert "1 background task the app started was still pending" in text
    assert "sleep(), created at katas/93_background/views.py:" in text
