"""Warnings in the failure they belong to, a warning count that is never a riddle, and
nothing printed after the verdict (a fake kata run by pytest in a child process)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dojo.course.testrun import TestRun, run_pytest
from dojo.harness.quiet import SECTION
from tests.fakekata import copy_project, write_kata

VIEW = """\
import asyncio
import warnings

from django.http import JsonResponse

KEPT = []


async def hello(request):
    warnings.warn("the greeting is deprecated", DeprecationWarning, stacklevel=1)
    return JsonResponse({"greeting": "hi"})


async def fails():
    raise ValueError("nobody asks")


async def keeps_a_failed_task(request):
    KEPT.append(asyncio.ensure_future(fails()))  # its exception is never retrieved
    await asyncio.sleep(0.01)
    return JsonResponse({"greeting": "hello"})
"""

URLS = """\
from django.urls import path

from . import views

urlpatterns = [path("hello/", views.hello), path("kept/", views.keeps_a_failed_task)]
"""

TESTS = """\
async def test_answers_hello(app):
    (await app.get("/hello/")).assert_json({"greeting": "hello"})


async def test_answers_200(app):
    (await app.get("/hello/")).assert_status(200)


async def test_keeps_a_task(app):
    (await app.get("/kept/")).assert_status(200)
"""


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("quiet"))
    kata = write_kata(root, "94_quiet", view=VIEW, tests=TESTS, solution=None)
    (kata / "urls.py").write_text(URLS)
    return root


def run(root: Path, *args: str) -> TestRun:
    return run_pytest(["-p", "no:cacheprovider", *args, "katas/94_quiet"], cwd=root)


def summary_line(output: str) -> str:
    return [line for line in output.splitlines() if " in " in line and "failed" in line][-1]


def test_a_failed_tests_warning_is_shown_in_its_failure_with_the_learners_line(
    root: Path,
) -> None:
    output = run(root).output
    failure = output.split("test_answers_hello", 1)[1].split("short test summary", 1)[0]
    assert SECTION in failure
    assert "DeprecationWarning: the greeting is deprecated" in failure
    assert "katas/94_quiet/views.py:10" in failure


def test_a_warning_shown_in_its_failure_is_not_counted_again(root: Path) -> None:
    output = run(root).output
    # The failed test warned, and so did a passing one, which stays in pytest's summary.
    assert "1 warning in" in summary_line(output), summary_line(output)
    warnings_summary = output.split("warnings summary", 1)[1].split("short test summary", 1)[0]
    assert "test_answers_200" in warnings_summary
    assert "test_answers_hello" not in warnings_summary


def test_with_the_summary_hidden_no_warning_is_counted(root: Path) -> None:
    output = run(root, "--disable-warnings").output
    assert "warning" not in summary_line(output), summary_line(output)


def test_nothing_is_printed_after_the_verdict(root: Path) -> None:
    output = run(root, "--disable-warnings").output.rstrip()
    assert output.splitlines()[-1] == summary_line(output), output[-1500:]
    assert "never awaited" not in output.split(summary_line(output), 1)[1]
