"""The grader: a score that edited tests, forged reports, hangs and crashes cannot change.

Each test grades a fresh temporary dojo checkout (a git repository of its own, holding this
dojo's tooling and small fake katas) so nothing depends on what /work/main has committed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import textwrap
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from dojo import cli
from dojo.grading import gradeout
from dojo.grading.trusted import syntax_problem
from dojo.server import sandbox
from tests.fakekata import BUGGY_VIEW, FIXED_VIEW, REPO, TESTS, copy_project, write_kata

SCHEMA = json.loads((REPO / "dojo" / "grading" / "schemas" / "results.schema.json").read_text())
ONE_TEST = """\
async def test_answers_json(app):
    response = await app.get("/hello/")
    response.assert_json({"greeting": "hello"})
"""

NETWORK_TEST = """

def test_the_network_is_off_while_grading():
    import socket

    import pytest

    with pytest.raises(OSError, match="network access is off"):
        socket.create_connection(("example.com", 80), timeout=2)
"""


def make_checkout(root: Path, katas: dict[str, str]) -> Path:
    """A committed dojo checkout at ``root`` with a buggy starter and a fix per kata;
    ``katas`` maps each kata's folder name to its tests."""
    root.mkdir(parents=True)
    copy_project(root)
    shutil.copytree(REPO / "dojo", root / "dojo", ignore=shutil.ignore_patterns("__pycache__"))
    for name, tests in katas.items():
        write_kata(root, name, tests=tests)
    commit(root)
    return root


def commit(root: Path) -> None:
    git = ["git", "-C", str(root), "-c", "user.name=dojo", "-c", "user.email=dojo@localhost"]
    if not (root / ".git").exists():
        subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "course"], check=True)


def submission(root: Path, views: dict[str, str]) -> Path:
    """A folder laid out like katas/: one views.py per kata."""
    for name, view in views.items():
        (root / name).mkdir(parents=True)
        (root / name / "views.py").write_text(textwrap.dedent(view))
    return root


def grade(repo: Path, work: Path, *extra: str) -> tuple[int, dict[str, Any], float]:
    """Run ``dojo grade`` on ``repo``'s trusted tests: exit code, valid results.json, seconds."""
    started = time.monotonic()
    code = cli.main(["grade", "--repo", str(repo), "--out", str(work), "--jobs", "2", *extra])
    elapsed = time.monotonic() - started
    results = json.loads((work / "results.json").read_text())
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(
        results
    )
    return code, results, elapsed


def katas(results: dict[str, Any]) -> dict[str, tuple[str, int]]:
    return {kata["name"]: (kata["status"], kata["score"]) for kata in results["katas"]}


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dojo checkout with two fake katas; the second's tests also check the network."""
    root = tmp_path_factory.mktemp("course") / "dojo"
    return make_checkout(root, {"01_hello": TESTS, "02_hello_again": TESTS + NETWORK_TEST})


@pytest.fixture(scope="module")
def solved(course: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The reference solutions graded (strictly, with a GitHub step summary to append to)."""
    out = tmp_path_factory.mktemp("solved")
    step_summary = out / "step-summary.md"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("GITHUB_STEP_SUMMARY", str(step_summary))
        yield (*grade(course, out, "--submission", str(course / "solutions"), "--strict"), out)


@pytest.fixture(scope="module")
def limits(solved: Any) -> tuple[float, float]:
    """Seconds before a kata's process is killed, and one test may take, in these tests:
    scaled to how fast this machine grades right now, so a busy machine fails nothing."""
    slowest = max(kata["duration"] for kata in solved[1]["katas"])
    test_limit = max(2.0, slowest / 2)
    return max(8.0, 2 * slowest + 2 * test_limit), test_limit


def test_the_shipped_katas_score_zero_with_every_kata_graded(course: Path, tmp_path: Path):
    code, results, _ = grade(course, tmp_path, "--submission", str(course), "--strict")

    assert code == 1  # --strict: not everything passes
    assert (results["status"], results["score"], results["max_score"]) == ("fail", 0, 2)
    assert katas(results) == {"01_hello": ("fail", 0), "02_hello_again": ("fail", 0)}
    verdicts = {(test["kata"], test["name"]): test["status"] for test in results["tests"]}
    assert verdicts == {
        ("01_hello", "test_answers_json"): "fail",
        ("01_hello", "test_answers_200"): "pass",
        ("02_hello_again", "test_answers_json"): "fail",
        ("02_hello_again", "test_answers_200"): "pass",
        ("02_hello_again", "test_the_network_is_off_while_grading"): "pass",
    }
    assert results["grader"]["changed_protected_files"] == []
    failed = next(test for test in results["tests"] if test["status"] == "fail")
    assert "async def test_answers_json(app):" in failed["test_code"]
    assert (
        "| 01 Say hello | ✘ fail | 0/1 | test_answers_json: "
        in (tmp_path / "summary.md").read_text()
    )


def test_the_reference_solutions_score_full_marks_without_the_network(solved: Any):
    code, results, _, out = solved

    assert code == 0
    assert (results["status"], results["score"], results["max_score"]) == ("pass", 2, 2)
    assert all(test["status"] == "pass" for test in results["tests"])
    assert len(results["tests"]) == 5
    suites = ET.parse(out / "junit.xml").getroot()
    assert (suites.get("tests"), suites.get("failures"), suites.get("errors")) == ("5", "0", "0")
    summary = (out / "summary.md").read_text()
    assert summary.startswith("## Dojo grade: 2/2 (2 of 2 katas solved)")
    assert (out / "step-summary.md").read_text() == summary + "\n"


def test_edited_tests_a_planted_conftest_and_config_change_nothing(course: Path, tmp_path: Path):
    checkout = tmp_path / "fork"
    shutil.copytree(course, checkout)
    (checkout / "katas" / "01_hello" / "views.py").write_text(FIXED_VIEW)
    (checkout / "katas" / "02_hello_again" / "test_kata.py").write_text(
        "def test_answers_json():\n    pass\n\n\ndef test_answers_200():\n    pass\n"
    )
    forcing = textwrap.dedent("""\
        import pytest


        @pytest.hookimpl(wrapper=True)
        def pytest_runtest_makereport(item, call):
            report = yield
            report.outcome = "passed"
            return report
        """)
    (checkout / "conftest.py").write_text(forcing)
    (checkout / "katas" / "conftest.py").write_text(forcing)
    (checkout / "pytest.ini").write_text(
        "[pytest]\naddopts = -p no:dojo.harness.plugin --deselect katas\n"
    )
    pyproject = checkout / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("addopts = [", 'addopts = ["-x", '))

    _, results, _ = grade(checkout, tmp_path / "out", "--submission", str(checkout))

    assert katas(results) == {"01_hello": ("pass", 1), "02_hello_again": ("fail", 0)}
    assert results["score"] == 1
    assert results["grader"]["changed_protected_files"] == [
        {"path": "conftest.py", "change": "changed"},
        {"path": "katas/02_hello_again/test_kata.py", "change": "changed"},
        {"path": "katas/conftest.py", "change": "added"},
        {"path": "pyproject.toml", "change": "changed"},
        {"path": "pytest.ini", "change": "added"},
    ]


FORGED_REPORTS = (
    BUGGY_VIEW
    + """
import _pytest.reports

_real = _pytest.reports.TestReport.from_item_and_call


def _passed(cls, item, call):
    report = _real(item, call)
    report.outcome, report.longrepr = "passed", None
    return report


_pytest.reports.TestReport.from_item_and_call = classmethod(_passed)
"""
)

FORCING_PLUGIN = (
    BUGGY_VIEW
    + """
import gc

import pytest


class _Passes:
    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        report.outcome, report.longrepr = "passed", None
        return report


_config = next(o for o in gc.get_objects() if isinstance(o, pytest.Config))
_config.pluginmanager.register(_Passes(), "passes")
"""
)

FORGED_LOG_THEN_EXIT = (
    BUGGY_VIEW
    + """
import json
import os
import sys

_log = next(arg.split("=", 1)[1] for arg in sys.argv if arg.startswith("--report-log="))
with open(_log, "a") as log:
    for test in ("test_answers_json", "test_answers_200"):
        for when in ("setup", "call", "teardown"):
            report = {"$report_type": "TestReport", "when": when, "outcome": "passed",
                      "nodeid": f"katas/03_hello/test_kata.py::{test}", "longrepr": None}
            log.write(json.dumps(report) + "\\n")
os._exit(0)
"""
)

SKIPS = """\
import pytest


async def hello(request):
    pytest.skip("nothing to see here")
"""


FORGERS = [FORGED_REPORTS, FORCING_PLUGIN, FORGED_LOG_THEN_EXIT, SKIPS, FIXED_VIEW]


def test_learner_code_that_forges_its_verdict_scores_what_the_code_deserves(tmp_path: Path):
    names = ["01_hello", "02_hello", "03_hello", "04_hello", "05_hello"]
    course = make_checkout(tmp_path / "dojo", dict.fromkeys(names, TESTS))
    work = submission(tmp_path / "work", dict(zip(names, FORGERS, strict=True)))

    _, results, _ = grade(course, tmp_path / "out", "--submission", str(work))

    assert results["score"] == 1
    assert {name: score for name, (_, score) in katas(results).items()} == {
        "01_hello": 0, "02_hello": 0, "03_hello": 0, "04_hello": 0, "05_hello": 1,
    }  # fmt: skip


def test_in_the_learners_own_process_the_guard_tells_a_forged_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # Without a sandbox, no worker may serve graded code: the tests run in the learner's
    # process, where the guard is what stands between a forged report and the score.
    monkeypatch.setattr(sandbox, "find", lambda: sandbox.none("bubblewrap is not installed"))
    names = ["01_hello", "02_hello", "03_hello", "04_hello", "05_hello"]
    course = make_checkout(tmp_path / "dojo", dict.fromkeys(names, TESTS))
    work = submission(tmp_path / "work", dict(zip(names, FORGERS, strict=True)))

    _, results, _ = grade(course, tmp_path / "out", "--submission", str(work))

    assert results["score"] == 1
    assert katas(results) == {
        "01_hello": ("error", 0),
        "02_hello": ("error", 0),
        "03_hello": ("error", 0),
        "04_hello": ("fail", 0),
        "05_hello": ("pass", 1),
    }
    messages = {kata["name"]: kata["message"] for kata in results["katas"]}
    assert "changed how pytest runs or reports tests" in messages["01_hello"]
    assert "changed how pytest runs or reports tests" in messages["02_hello"]
    assert "did not see pass" in messages["03_hello"]
    assert "a skipped test does not count as passed" in messages["04_hello"]


LOOP_HANG = """\
import asyncio


async def hello(request):
    await asyncio.Event().wait()
"""

BUSY_LOOP = """\
async def hello(request):
    while True:
        pass
"""

THREAD_HANG = """\
import time

from asgiref.sync import sync_to_async


async def hello(request):
    await sync_to_async(time.sleep, thread_sensitive=False)(600)
"""

UNSTOPPABLE = """\
import signal
import time


async def hello(request):
    signal.signal(signal.SIGALRM, signal.SIG_IGN)  # pytest-timeout's alarm
    time.sleep(600)
"""

EXITS = "import os\n\nos._exit(0)\n"

SYNTAX_ERROR = "async def hello(request)\n    return None\n"

KILLS_ITSELF = """\
import os
import signal


async def hello(request):
    os.kill(os.getpid(), signal.SIGKILL)
"""

FLOODS = (
    FIXED_VIEW
    + """
import os
import sys

sys.stdout.write("x" * 3_000_000)
os.write(2, b"y" * 3_000_000)
"""
)

ODD_MESSAGE = """\
async def hello(request):
    raise ValueError("a | b <script> \\x00 `code`")
"""


def test_hanging_and_crashing_katas_cost_only_themselves(
    limits: tuple[float, float], tmp_path: Path
):
    views = {
        "01_loop_hang": LOOP_HANG,
        "02_thread_hang": THREAD_HANG,
        "03_exits": EXITS,
        "04_syntax_error": SYNTAX_ERROR,
        "05_kills_itself": KILLS_ITSELF,
        "06_floods": FLOODS,
        "07_odd_message": ODD_MESSAGE,
        "08_solved": FIXED_VIEW,
        "09_busy_loop": BUSY_LOOP,
    }
    course = make_checkout(tmp_path / "dojo", dict.fromkeys(views, ONE_TEST))
    work = submission(tmp_path / "work", views)

    kata_limit, test_limit = limits
    code, results, _ = grade(
        course, tmp_path / "out", "--submission", str(work),
        "--kata-time-limit", str(kata_limit), "--test-time-limit", str(test_limit),
    )  # fmt: skip

    assert code == 0
    # A view that never answers is stopped by the harness's own deadline (a failure that
    # names its line) or, when the test's limit comes first, by pytest-timeout.
    stopped = {kata["name"]: kata["status"] for kata in results["katas"]}
    for hang in ("01_loop_hang", "02_thread_hang", "09_busy_loop"):
        assert stopped[hang] in ("timeout", "fail")
    assert katas(results) == {
        "01_loop_hang": (stopped["01_loop_hang"], 0),
        "02_thread_hang": (stopped["02_thread_hang"], 0),
        "03_exits": ("error", 0),
        "04_syntax_error": ("error", 0),
        "05_kills_itself": ("fail", 0),
        "06_floods": ("pass", 1),
        "07_odd_message": ("fail", 0),
        "08_solved": ("pass", 1),
        "09_busy_loop": (stopped["09_busy_loop"], 0),
    }
    messages = {kata["name"]: kata["message"] for kata in results["katas"]}
    # The views are served by a worker: a kata that ends it fails its tests, judged from here.
    assert "server could not start" in messages["03_exits"]
    assert "stopped while starting (exit 0)" in messages["03_exits"]
    assert messages["04_syntax_error"].startswith(
        "katas/04_syntax_error/views.py, line 1: expected ':' (a syntax error)"
    )
    assert "closed the connection without an answer" in messages["05_kills_itself"]
    assert len(results["tests"]) == 9  # every expected test, reported or not
    # The learner's text reaches the outputs through the error it raised: in the junit.xml
    # messages, never as markup in summary.md.
    junit = ET.parse(tmp_path / "out" / "junit.xml")  # well-formed despite the NUL
    assert any("a | b <script>" in (case.text or "") for case in junit.iter("failure"))
    assert "<script>" not in (tmp_path / "out" / "summary.md").read_text()


def test_a_message_shows_in_the_summary_as_text_not_markdown():
    assert gradeout._md("a | b <script> \x00 `code`", 200) == "a \\| b &lt;script> \\`code\\`"


def test_a_hanging_kata_costs_the_whole_grade_at_most_its_time_limit(
    course: Path, solved: Any, limits: tuple[float, float], tmp_path: Path
):
    _, _, normal, _ = solved
    kata_limit, test_limit = limits
    work = submission(tmp_path / "work", {"01_hello": FIXED_VIEW, "02_hello_again": UNSTOPPABLE})

    _, results, hanging = grade(
        course, tmp_path / "out", "--submission", str(work),
        "--kata-time-limit", str(kata_limit), "--test-time-limit", str(test_limit),
    )  # fmt: skip

    # The view hangs in the worker; the test, waiting for its answer here, is stopped by the
    # harness's deadline for an answer or by the test's time limit, whichever comes first.
    stopped = results["katas"][1]
    assert katas(results)["01_hello"] == ("pass", 1)
    assert (stopped["status"], stopped["score"]) in (("timeout", 0), ("fail", 0))
    assert stopped["message"].startswith("test_answers_json: ")
    assert hanging <= 2 * normal + kata_limit


# A loop lesson; a database the sandboxed worker writes; tests judged inside the sandbox.
REAL_KATAS = ("08_blocking_sleep", "23_async_transaction", "34_client_per_request")


def test_real_katas_score_zero_as_shipped_and_full_marks_when_solved(tmp_path: Path):
    root = tmp_path / "dojo"
    root.mkdir()
    copy_project(root)
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(REPO / "dojo", root / "dojo", ignore=ignore)
    real = [name for name in REAL_KATAS if (REPO / "solutions" / name).is_dir()]
    if not real:
        pytest.skip("none of the real katas this test copies is written yet")
    for name in real:
        shutil.copytree(REPO / "katas" / name, root / "katas" / name, ignore=ignore)
        shutil.copytree(REPO / "solutions" / name, root / "solutions" / name, ignore=ignore)
    commit(root)

    _, shipped, _ = grade(root, tmp_path / "shipped", "--submission", str(root))
    _, solved, _ = grade(root, tmp_path / "solved", "--submission", str(root / "solutions"))

    assert katas(shipped) == dict.fromkeys(real, ("fail", 0))
    assert katas(solved) == dict.fromkeys(real, ("pass", 1))
    inside = {kata["name"]: kata["judged_inside"] for kata in solved["katas"]}
    # Judged served, but for the tests a kata's kata.toml says only the in-process mode can judge.
    assert inside["08_blocking_sleep"] == inside["34_client_per_request"] == []
    assert inside["23_async_transaction"] != []


def test_bad_input_is_one_line_and_exit_2(
    course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    cases = {
        ("--submission", str(tmp_path / "nowhere")): f"SUBMISSION={tmp_path / 'nowhere'}: no such folder.",
        ("--kata", "99"): "KATA=99: there is no such kata; the katas are 1, 2.",
        ("--ref", "no-such-ref"): "REF=no-such-ref: no such commit in",
        ("--repo", str(tmp_path)): "is not a git repository",
    }  # fmt: skip
    for args, expected in cases.items():
        code = cli.main(["grade", "--repo", str(course), "--out", str(tmp_path / "out"), *args])
        error = capsys.readouterr().err
        assert code == 2
        assert expected in error
        assert error.count("\n") == 1, error


def test_a_broken_kata_in_the_trusted_copy_fails_the_grader(course: Path, tmp_path: Path):
    broken = tmp_path / "dojo"
    shutil.copytree(course, broken)
    write_kata(broken, "03_broken", toml='title = "Broken"\nlevel = 1\n')
    commit(broken)

    code, results, _ = grade(broken, tmp_path / "out", "--kata", "3")

    assert code == 2
    assert results["status"] == "error"
    assert "key 'concepts' is missing" in results["message"]
    assert katas(results) == {"03_broken": ("error", 0)}


def test_a_syntax_error_is_named_with_its_file_line_and_text():
    problem = syntax_problem(b"x = 1\nif x\n    pass\n", "katas/04_x/views.py")

    assert problem == "katas/04_x/views.py, line 2: expected ':' (a syntax error): if x"
    assert syntax_problem(b"x = 1\n", "views.py") is None
