"""The ``stream`` fixture in server mode: a response read chunk by chunk over a real socket.

A fake kata's streaming tests run in a child pytest, served and in-process: chunks arrive
as the view yields them, a sync iterator comes all at once with Django's warning, a view
that lets the client's disconnect cancel it stops, one that swallows it is named, and a
body cut off by an error fails the request; both modes give every test the same verdict.
What the worker reports can only make a verdict worse.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dojo.course.testrun import FAILED, PASSED, TestRun, run_pytest
from dojo.harness.remotestream import BodyCutOff, add_inside_report
from dojo.harness.streaming import Chunk, StreamReport
from tests.fakekata import copy_project
from tests.test_serve_and_load import assert_no_process_left

KATA = "92_streamed"

VIEWS = """
import asyncio
import time

from django.http import StreamingHttpResponse


async def lines(n, pause):
    for index in range(n):
        yield f"line {index}\\n"
        await asyncio.sleep(pause)


async def streamed(request):
    return StreamingHttpResponse(lines(3, 0.1), content_type="text/plain")


def sync_lines():
    for index in range(3):
        time.sleep(0.1)
        yield f"line {index}\\n"


async def sync_streamed(request):
    return StreamingHttpResponse(sync_lines(), content_type="text/plain")


async def stops(request):
    await asyncio.sleep(5)
    return StreamingHttpResponse(lines(1, 0), content_type="text/plain")


async def stubborn(request):
    try:
        await asyncio.sleep(5)
    except asyncio.CancelledError:
        await asyncio.sleep(0.6)  # TODO: the cancellation swallowed
    return StreamingHttpResponse(lines(1, 0), content_type="text/plain")


async def broken_lines():
    yield "line 0\\n"
    await asyncio.sleep(0.05)
    raise ValueError("page 2 is broken")


async def cut_off(request):
    return StreamingHttpResponse(broken_lines(), content_type="text/plain")
"""

URLS = """
from django.urls import path

from . import views

urlpatterns = [
    path(f"{name}/", getattr(views, name))
    for name in ("streamed", "sync_streamed", "stops", "stubborn", "cut_off")
]
"""

TESTS = """
import pytest


async def test_chunks_arrive_as_they_are_yielded(stream):
    report = await stream("/streamed/")
    report.assert_status(200)
    assert report.text == "line 0\\nline 1\\nline 2\\n"
    first, last = report.arrival_of("line 0"), report.arrival_of("line 2")
    assert last - first > 0.15, report.arrivals()


async def test_a_sync_iterator_arrives_all_at_once(stream):
    report = await stream("/sync_streamed/")
    report.assert_status(200)
    first, last = report.arrival_of("line 0"), report.arrival_of("line 2")
    assert last - first > 0.15, report.arrivals() + "\\n" + report.warnings_note()


async def test_a_view_that_lets_the_cancellation_through_stops(stream):
    report = await stream("/stops/", disconnect_after=0.2)
    report.assert_view_stopped()
    assert report.sent_after_disconnect == 0


async def test_a_view_that_swallows_the_cancellation_stops(stream):
    report = await stream("/stubborn/", disconnect_after=0.2)
    report.assert_view_stopped()


async def test_a_body_cut_off_by_an_error_fails(stream):
    report = await stream("/cut_off/")
    assert report.exception is None, report.explain()
"""


def write_kata(root: Path) -> None:
    kata = root / "katas" / KATA
    kata.mkdir()
    (kata / "views.py").write_text(VIEWS.lstrip())
    (kata / "urls.py").write_text(URLS.lstrip())
    (kata / "test_kata.py").write_text(TESTS.lstrip())


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not Path("/proc/self/cwd").exists():
        pytest.skip("these tests find leftover processes through /proc")
    root = copy_project(tmp_path_factory.mktemp("stream")).resolve()
    write_kata(root)
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
    return run.outcomes[f"katas/{KATA}/test_kata.py::{test}"].outcome


def message(run: TestRun, test: str) -> str:
    return run.outcomes[f"katas/{KATA}/test_kata.py::{test}"].message


def test_chunks_arrive_over_the_socket_as_the_view_yields_them(served: TestRun) -> None:
    assert outcome(served, "test_chunks_arrive_as_they_are_yielded") == PASSED, served.output


def test_a_sync_iterator_comes_at_once_with_djangos_warning(served: TestRun) -> None:
    test = "test_a_sync_iterator_arrives_all_at_once"
    assert outcome(served, test) == FAILED
    assert "StreamingHttpResponse must consume synchronous iterators" in message(served, test)


def test_leaving_cancels_a_view_that_lets_it(served: TestRun) -> None:
    test = "test_a_view_that_lets_the_cancellation_through_stops"
    assert outcome(served, test) == PASSED, served.output


def test_a_view_that_swallows_the_disconnect_is_seen_going_on(served: TestRun) -> None:
    test = "test_a_view_that_swallows_the_cancellation_stops"
    assert outcome(served, test) == FAILED
    assert "the view went on for" in message(served, test)


def test_a_body_cut_off_names_the_servers_exception_and_line(served: TestRun) -> None:
    test = "test_a_body_cut_off_by_an_error_fails"
    assert outcome(served, test) == FAILED
    text = message(served, test)
    assert "ValueError: page 2 is broken" in text
    assert f"katas/{KATA}/views.py:" in text


def test_both_modes_give_every_streaming_test_the_same_verdict(
    served: TestRun, in_process: TestRun
) -> None:
    verdicts = {test: result.outcome for test, result in served.outcomes.items()}
    assert verdicts == {test: result.outcome for test, result in in_process.outcomes.items()}


def cut_off_report() -> StreamReport:
    report = StreamReport(method="GET", path="/export/", start=1.0, status=200, end=3.0)
    report.chunks = [Chunk(1.2, b"line 0\n")]
    report.disconnected_at = 1.5
    return report


def test_a_worker_that_says_nothing_leaves_the_view_unfinished() -> None:
    report = cut_off_report()
    add_inside_report(report, {})
    assert report.finished_at is None and report.sent_after_disconnect == 0
    with pytest.raises(pytest.fail.Exception, match="still running"):
        report.assert_view_stopped()


def test_a_worker_cannot_say_the_view_finished_after_its_report_came() -> None:
    report = cut_off_report()
    add_inside_report(report, {"finished": 9.0})
    assert report.finished_at == report.end


def test_a_body_cut_off_stays_a_failure_whatever_the_worker_says() -> None:
    report = cut_off_report()
    report.disconnected_at = None
    report.exception = BodyCutOff("the server closed the connection before the end of the body")
    add_inside_report(report, {"error": None})
    assert isinstance(report.exception, BodyCutOff)
