"""The pytest plugin, seen from a kata's tests (a fake kata run by pytest in a child process).

Pins what a learner sees: the request timeline, the line that blocked the loop, the error
behind a 500, and that the upstream fake's latency behaves like a network for both clients.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dojo.course.testrun import TestRun, run_pytest
from tests.fakekata import copy_project

VIEWS = """
import asyncio
import contextvars
import time

import httpx
from django.http import HttpResponse, JsonResponse

URL = "http://weather.example/forecast"


async def blocking(request):
    time.sleep(0.3)  # TODO: the blocking line
    return JsonResponse({"ok": True})


async def awaiting(request):
    await asyncio.sleep(0.3)
    return JsonResponse({"ok": True})


async def sync_client(request):
    return JsonResponse(httpx.get(URL).json())


async def sync_client_in_thread(request):
    response = await asyncio.to_thread(httpx.get, URL)
    return JsonResponse(response.json())


async def async_client(request):
    async with httpx.AsyncClient() as client:
        response = await client.get(URL)
    return JsonResponse(response.json())


async def broken(request):
    return JsonResponse(["not", "a", "dict"])


async def hangs(request):
    await asyncio.Event().wait()


SEEN = contextvars.ContextVar("seen", default=None)


async def remembers(request):
    before = SEEN.get()
    SEEN.set(request.GET["who"])
    return JsonResponse({"before": before})


async def card():
    return JsonResponse({"card": True})


async def returns_coroutine(request):
    return card()


async def forgets_return(request):
    JsonResponse({"card": True})


from asgiref.sync import markcoroutinefunction  # here, to keep the lines above where they are


class ForgetsToReturn:
    async_capable = True
    sync_capable = False

    def __init__(self, get_response):
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request):
        response = await self.get_response(request)
        response["X-Seen"] = "yes"


from django.views import View  # here, to keep the lines above where they are


class ForcedAsync(View):
    view_is_async = True

    def post(self, request):
        return JsonResponse({"ok": True})


async def real_network(request):
    async with httpx.AsyncClient() as client:
        await client.get("http://elsewhere.example/")
    return JsonResponse({})


async def not_json(request):
    return HttpResponse("{'ok': True}", content_type="application/json")


async def who_asks(request):
    return JsonResponse({"host": request.get_host(), "headers": dict(request.headers)})
"""

URLS = """
from django.urls import path

from . import views

urlpatterns = [
    path(f"{name.replace('_', '-')}/", getattr(views, name))
    for name in ("blocking", "awaiting", "sync_client", "sync_client_in_thread",
                 "async_client", "broken", "hangs", "real_network", "remembers",
                 "returns_coroutine", "forgets_return", "who_asks", "not_json")
]
urlpatterns.append(path("forced-async/", views.ForcedAsync.as_view()))
"""

TESTS = """
import pytest

FORECAST = "http://weather.example/forecast"


async def test_blocking_view_is_served_serially(burst):
    report = await burst("/blocking/", n=3)
    report.assert_served_concurrently()


async def test_awaiting_view_is_served_concurrently(burst):
    report = await burst("/awaiting/", n=3)
    report.assert_served_concurrently()
    report.assert_loop_not_blocked()


@pytest.mark.parametrize("path", ["/sync-client/", "/sync-client-in-thread/", "/async-client/"])
async def test_upstream_calls_overlap(burst, upstream, rng, path):
    temperature = rng.randint(-20, 30)
    upstream.get(FORECAST, json={"t": temperature}, latency=0.3)
    report = await burst(path, n=3)
    report.assert_all_status(200)
    assert {response.text for response in report.responses} == {f'{{"t": {temperature}}}'}
    upstream.assert_calls_overlapped(3)


async def test_broken_view(app):
    response = await app.get("/broken/")
    response.assert_json({"ok": True})


@pytest.mark.timeout(1)
async def test_hanging_view(app):
    await app.get("/hangs/")


async def test_after_the_hang_the_run_goes_on(app):
    (await app.get("/awaiting/")).assert_json({"ok": True})


async def test_a_coroutine_handed_to_django(app):
    (await app.get("/returns-coroutine/")).assert_json({"card": True})


async def test_a_view_that_returns_nothing(app):
    (await app.get("/forgets-return/")).assert_json({"card": True})


@pytest.mark.middleware("katas.90_harness.views.ForgetsToReturn")
async def test_a_middleware_that_returns_nothing(middleware_app):
    (await middleware_app.get("/awaiting/")).assert_json({"ok": True})


async def test_a_class_that_says_it_is_async_with_a_sync_handler(app):
    (await app.post("/forced-async/", json={})).assert_json({"ok": True})


async def test_each_request_has_its_own_context(app):
    first = await app.get("/remembers/?who=ana")
    second = await app.get("/remembers/?who=bo")
    assert (first.json(), second.json()) == ({"before": None}, {"before": None})


async def test_a_body_that_is_not_json(app):
    (await app.get("/not-json/")).assert_json({"ok": True})


async def test_requests_look_like_a_browsers(app):
    seen = (await app.get("/who-asks/")).json()
    told = [f"{name}: {value}" for name, value in seen["headers"].items()]
    marks = [line for line in told if "test" in line.lower() or "dojo" in line.lower()]
    assert seen["host"] not in ("testserver", "localhost", "127.0.0.1"), seen["host"]
    assert "Mozilla/5.0" in seen["headers"]["User-Agent"]
    assert marks == [], marks


async def test_unmocked_upstream(app):
    response = await app.get("/real-network/")
    response.assert_status(200)
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> TestRun:
    """One run of the fake kata's tests, shared by the assertions below."""
    root = copy_project(tmp_path_factory.mktemp("plugin"))
    kata = root / "katas" / "90_harness"
    kata.mkdir()
    (kata / "views.py").write_text(VIEWS.lstrip())
    (kata / "urls.py").write_text(URLS.lstrip())
    (kata / "test_kata.py").write_text(TESTS.lstrip())
    return run_pytest(["-p", "no:cacheprovider", "--tb=short"], cwd=root)


def outcome(run: TestRun, test: str) -> str:
    return run.outcomes[f"katas/90_harness/test_kata.py::{test}"].outcome


def message(run: TestRun, test: str) -> str:
    """The failure section pytest printed for ``test``."""
    return run.output.split(f"_ {test} _", 1)[-1]


def test_a_json_body_that_is_not_json_is_a_plain_failure(run: TestRun) -> None:
    assert outcome(run, "test_a_body_that_is_not_json") == "failed"
    shown = message(run, "test_a_body_that_is_not_json")
    assert "It answered as application/json, but its body is not JSON (JSONDecodeError" in shown
    assert "Traceback" not in shown


def test_a_view_cannot_tell_the_harness_from_a_browser(run: TestRun) -> None:
    assert outcome(run, "test_requests_look_like_a_browsers") == "passed", message(
        run, "test_requests_look_like_a_browsers"
    )


def test_a_blocking_view_fails_the_overlap_check_with_a_timeline(run: TestRun) -> None:
    assert outcome(run, "test_blocking_view_is_served_serially") == "failed"
    shown = message(run, "test_blocking_view_is_served_serially")
    assert (
        "Expected 3 of the 3 requests to GET /blocking/ to be served at the same time, "
        "but at most 1 was inside the view at once: the others waited."
    ) in shown
    assert "Requests, while each was inside the view (█), 0 to " in shown
    assert "  #3  " in shown
    assert "katas/90_harness/views.py:12\n    time.sleep(0.3)  # TODO: the blocking line" in shown


def test_an_awaiting_view_passes_the_overlap_and_stall_checks(run: TestRun) -> None:
    assert outcome(run, "test_awaiting_view_is_served_concurrently") == "passed"


def test_a_sync_client_on_the_loop_serialises_upstream_calls(run: TestRun) -> None:
    assert outcome(run, "test_upstream_calls_overlap[/sync-client/]") == "failed"
    shown = message(run, "test_upstream_calls_overlap[/sync-client/]")
    assert (
        "Expected at least 3 upstream calls in flight at the same time, but at most 1 was" in shown
    )
    assert "Upstream calls (█ = waiting for the answer)" in shown


def test_a_sync_client_in_a_thread_or_an_async_client_overlap(run: TestRun) -> None:
    assert outcome(run, "test_upstream_calls_overlap[/sync-client-in-thread/]") == "passed"
    assert outcome(run, "test_upstream_calls_overlap[/async-client/]") == "passed"


def test_a_500_names_the_exception_and_the_learners_line(run: TestRun) -> None:
    assert outcome(run, "test_broken_view") == "failed"
    shown = message(run, "test_broken_view")
    assert "GET /broken/ returned 500 (TypeError: In order to allow non-dict objects" in shown
    assert "The error was raised at katas/90_harness/views.py:" in shown
    assert 'JsonResponse(["not", "a", "dict"])' in shown
    assert "Expected 200 (the JSON body) from GET /broken/." in shown


def test_a_hanging_test_times_out_and_the_run_goes_on(run: TestRun) -> None:
    assert outcome(run, "test_hanging_view") == "failed"
    assert "Timeout" in message(run, "test_hanging_view")
    assert outcome(run, "test_after_the_hang_the_run_goes_on") == "passed"


def test_an_unmocked_upstream_request_fails(run: TestRun) -> None:
    assert outcome(run, "test_unmocked_upstream") == "failed"
    shown = message(run, "test_unmocked_upstream")
    assert "elsewhere.example is not one of this test's fake upstream services" in shown


def test_an_error_inside_django_names_the_coroutine_it_was_handed(run: TestRun) -> None:
    assert outcome(run, "test_a_coroutine_handed_to_django") == "failed"
    shown = message(run, "test_a_coroutine_handed_to_django")
    assert "didn't return an HttpResponse object. It returned an unawaited coroutine" in shown
    assert (
        "The error was raised inside Django, which was handed a coroutine (never awaited) "
        "of the function at katas/90_harness/views.py:"
    ) in shown
    assert "async def card():" in shown


def test_an_error_inside_django_names_the_view_or_middleware_it_came_from(run: TestRun) -> None:
    assert outcome(run, "test_a_view_that_returns_nothing") == "failed"
    shown = message(run, "test_a_view_that_returns_nothing")
    assert "didn't return an HttpResponse object. It returned None instead." in shown
    assert (
        "The error was raised inside Django, on what it got from the function at "
        "katas/90_harness/views.py:"
    ) in shown
    assert "async def forgets_return(request):" in shown
    assert "Concept: a view or a middleware returns its response: a function that" in shown
    # Django's own middleware gets the None: its error names the learner's middleware.
    assert outcome(run, "test_a_middleware_that_returns_nothing") == "failed"
    shown = message(run, "test_a_middleware_that_returns_nothing")
    assert "returned 500 (AttributeError: 'NoneType' object has no attribute" in shown
    assert (
        "The error was raised inside Django, on what it got from the function at "
        "katas/90_harness/views.py:"
    ) in shown
    assert "    async def __call__(self, request):" in shown
    assert "Concept: a view or a middleware returns its response: a function that" in shown
    # A class-based view's handler: Django awaited what the sync post returned.
    shown = message(run, "test_a_class_that_says_it_is_async_with_a_sync_handler")
    assert "returned 500 (TypeError: object JsonResponse can't be used in 'await'" in shown
    assert "on what it got from the function at katas/90_harness/views.py:" in shown
    assert "    def post(self, request):" in shown


def test_requests_do_not_share_context_variables_as_under_a_server(run: TestRun) -> None:
    assert outcome(run, "test_each_request_has_its_own_context") == "passed"


def test_target_runs_the_same_tests_against_another_folder(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    kata = root / "katas" / "91_target"
    kata.mkdir()
    (kata / "views.py").write_text(VIEWS.lstrip())
    (kata / "urls.py").write_text(URLS.lstrip())
    (kata / "test_kata.py").write_text(
        "async def test_broken(app):\n"
        "    (await app.get('/broken/')).assert_json(['not', 'a', 'dict'])\n"
    )
    fixed = root / "fixes" / "91_target"
    fixed.mkdir(parents=True)
    (fixed / "views.py").write_text(
        VIEWS.replace(
            'JsonResponse(["not", "a", "dict"])', 'JsonResponse(["not", "a", "dict"], safe=False)'
        )
    )
    assert run_pytest([], cwd=root).returncode == 1
    assert run_pytest(["--target=fixes"], cwd=root).returncode == 0
    unknown = run_pytest(["--target=nowhere"], cwd=root)
    assert unknown.returncode == 4
    assert "--target=nowhere: no such folder." in unknown.output


HANGING_VIEWS = """
import asyncio

from asgiref.sync import sync_to_async
from django.http import JsonResponse


async def spins(request):
    while True:  # the spin
        pass


async def awaits_for_ever(request):
    while True:
        await asyncio.sleep(0.01)  # the endless wait


async def waits_for_a_thread(request):
    await sync_to_async(spin_in_a_thread)()  # the thread's caller


def spin_in_a_thread():
    while True:  # the thread's spin
        pass
"""

HANGING_URLS = """
from django.urls import path

from . import views

urlpatterns = [
    path("spins/", views.spins),
    path("awaits/", views.awaits_for_ever),
    path("threads/", views.waits_for_a_thread),
]
"""


@pytest.fixture(scope="module")
def hangs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, TestRun]:
    """A kata whose first test's view spins on the loop, one whose view awaits for ever, and
    one whose view waits for a thread that spins; each has two more tests after it. A run
    that does not end by itself (a thread Python waits for at exit) is cut short."""
    root = copy_project(tmp_path_factory.mktemp("hangs"))
    runs = {}
    for name, path in (
        ("94_spins", "/spins/"),
        ("95_awaits", "/awaits/"),
        ("96_threads", "/threads/"),
    ):
        kata = root / "katas" / name
        kata.mkdir()
        (kata / "views.py").write_text(HANGING_VIEWS.lstrip())
        (kata / "urls.py").write_text(HANGING_URLS.lstrip())
        (kata / "test_kata.py").write_text(
            "".join(
                f"async def test_{n}(app):\n    (await app.get('{path}')).assert_status(200)\n\n"
                for n in ("first", "second", "third")
            )
        )
        runs[name] = run_pytest(["-p", "no:cacheprovider", f"katas/{name}"], cwd=root, timeout=120)
    return runs


@pytest.mark.parametrize(
    ("kata", "how", "line"),
    [
        ("94_spins", "still running sync code on the event loop", "while True:  # the spin"),
        ("95_awaits", "still waiting", "await asyncio.sleep(0.01)  # the endless wait"),
        ("96_threads", "still waiting for work it gave a thread", "while True:  # the thread's"),
    ],
)
def test_a_view_that_never_answers_ends_the_kata_in_seconds(
    hangs: dict[str, TestRun], kata: str, how: str, line: str
) -> None:
    run = hangs[kata]
    assert not run.timed_out
    outcomes = {o.name: o.outcome for o in run.outcomes.values()}
    assert outcomes == {"test_first": "failed", "test_second": "skipped", "test_third": "skipped"}
    shown = run.output
    assert f"did not answer within 4 s. The view was {how}" in shown
    assert f"katas/{kata}/views.py:" in shown
    assert line in shown
    assert "Traceback" not in shown
