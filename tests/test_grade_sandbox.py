"""The graded code is shut in: it cannot see the grader's processes, environment or files,
has no network, and cannot take the machine's memory or outlive the grade.

Each attack's view answers the right JSON only if its attack worked, and the buggy text
otherwise: a kata that scores would show the sandbox failed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dojo import cli
from dojo.server import sandbox
from tests.fakekata import BUGGY_VIEW, KATA_TOML, REPO, TESTS, copy_project, write_kata
from tests.test_grade import commit, grade, katas, make_checkout, submission

SECRET = "DOJO_RED_TEAM_SECRET"

needs_bwrap = pytest.mark.skipif(
    shutil.which("bwrap") is None,
    reason=f"NOT TESTED: the grading sandbox needs bubblewrap ({sandbox.INSTALL_HINT})",
)

ATTACK = """\
from django.http import HttpResponse, JsonResponse


def attack():
{body}


async def hello(request):
    if attack():
        return JsonResponse({{"greeting": "hello"}})
    return HttpResponse("hello")
"""

ATTACKS = {
    # Tokens the grader holds, read from its environment through /proc.
    "01_reads_the_graders_environment": """\
    import glob
    for path in glob.glob("/proc/*/environ"):
        try:
            if b"DOJO_RED_TEAM_SECRET" in open(path, "rb").read():
                return True
        except OSError:
            pass
    return False""",
    # Kill the process that started it: the grader, were it not in a namespace of its own.
    # (Only the parent: should the sandbox ever fail, this test's own run dies, not others'.)
    "02_kills_the_grader": """\
    import os, signal
    try:
        os.kill(os.getppid(), signal.SIGKILL)
    except OSError:
        pass
    return False""",
    # Any network interface but the loopback would be a way out.
    "03_looks_for_a_network": """\
    import socket
    return any(name != "lo" for _, name in socket.if_nameindex())""",
    # Three gigabytes: more than a graded run may take.
    "04_takes_the_memory": """\
    try:
        hoard = bytearray(3 * 1024**3)
    except MemoryError:
        return False
    return len(hoard) > 0""",
    # The reference fix, by its path in the course repository.
    "05_reads_the_reference": """\
    try:
        open("/".join(["{course}", "solu" + "tions", "05_reads_the_reference", "views.py"]))
    except OSError:
        return False
    return True""",
    # A grandchild that leaves the process group and writes after the grade is over.
    "06_outlives_the_grade": """\
    import os, time
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(3)
            with open("{escaped}", "w") as file:
                file.write("still here")
        os._exit(0)
    return False""",
}


@needs_bwrap
def test_attacks_from_inside_the_graded_process_score_nothing(tmp_path: Path):
    shut_in = sandbox.find()
    if not shut_in.available:  # never run these attacks unsandboxed
        pytest.fail(f"bubblewrap is installed but gives no sandbox here: {shut_in.why}")
    course = make_checkout(tmp_path / "dojo", dict.fromkeys(ATTACKS, TESTS))
    escaped = tmp_path / "escaped.txt"
    views = {
        name: ATTACK.format(body=body.format(course=course, escaped=escaped))
        for name, body in ATTACKS.items()
    }
    work = submission(tmp_path / "work", views)
    out = tmp_path / "out"

    # The grader in a process of its own, as `make grade` runs it, holding a secret.
    subprocess.run(
        [sys.executable, "-m", "dojo", "grade", "--repo", str(course), "--out", str(out),
         "--submission", str(work), "--jobs", "2"],
        env={**os.environ, SECRET: "the grader's token"}, capture_output=True, check=False,
    )  # fmt: skip
    time.sleep(4)  # the escaped grandchild would have written by now
    results = json.loads((out / "results.json").read_text())

    assert results["grader"]["sandbox"] == "bubblewrap"
    assert results["score"] == 0, katas(results)
    assert not escaped.exists(), "a process of the graded code outlived the grade"
    assert (out / "summary.md").is_file()


# Each rewrites, in the process that runs it, something a verdict made there would rest on.
# The view then answers wrongly: a kata scores only if the tests, run elsewhere, saw it right.
REWRITES = {
    # Every "failed" the JSON encoder writes (pytest's report log, the guard's log) a pass.
    "01_rewrites_the_json_encoder": """\
import json

_encode = json.JSONEncoder.encode
json.JSONEncoder.encode = lambda self, o: _encode(self, o).replace('"failed"', '"passed"')
""",
    # Failing a test does nothing; the harness's assertions pass whatever they see.
    "02_switches_off_failing": """\
import pytest

pytest.fail = lambda *args, **kwargs: None
try:
    from dojo.harness import asgi

    asgi.Response.assert_json = lambda *args, **kwargs: None
    asgi.Response.assert_status = lambda *args, **kwargs: None
except ImportError:
    pass
""",
    # Passing lines appended to the report log its command line names, then a clean exit.
    "03_forges_the_report_log": """\
import json
import os
import sys

for arg in sys.argv:
    if arg.startswith("--report-log="):
        with open(arg.split("=", 1)[1], "a") as log:
            for name in ("test_answers_json", "test_answers_200"):
                for when in ("setup", "call", "teardown"):
                    log.write(json.dumps({"$report_type": "TestReport", "outcome": "passed",
                                          "when": when, "nodeid": name}) + "\\n")
        os._exit(0)
""",
}


@needs_bwrap
def test_code_that_rewrites_its_own_process_cannot_pass_tests_run_outside_it(tmp_path: Path):
    shut_in = sandbox.find()
    if not shut_in.available:
        pytest.fail(f"bubblewrap is installed but gives no sandbox here: {shut_in.why}")
    course = make_checkout(tmp_path / "dojo", dict.fromkeys(REWRITES, TESTS))
    views = {name: attack + "\n\n" + BUGGY_VIEW for name, attack in REWRITES.items()}

    _, results, _ = grade(
        course, tmp_path / "out", "--submission", str(submission(tmp_path / "work", views))
    )

    assert results["score"] == 0, katas(results)
    # Every test was judged from outside: none in the process the learner's code runs in.
    assert all(kata["judged_inside"] == [] for kata in results["katas"]), results["katas"]


def test_without_a_sandbox_the_grade_says_so_and_strict_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    course = make_checkout(tmp_path / "dojo", {"01_hello": TESTS})
    work = submission(tmp_path / "work", {"01_hello": BUGGY_VIEW})
    monkeypatch.setattr(sandbox, "find", lambda: sandbox.none("bubblewrap is not installed"))

    _, results, _ = grade(course, tmp_path / "out", "--submission", str(work))
    code = cli.main([
        "grade", "--repo", str(course), "--out", str(tmp_path / "strict"),
        "--submission", str(work), "--strict",
    ])  # fmt: skip

    assert results["grader"]["sandbox"] == "none"
    assert "**No sandbox:**" in (tmp_path / "out" / "summary.md").read_text()
    assert code == 2
    assert "STRICT asks for a sandbox" in (tmp_path / "strict" / "results.json").read_text()


# A kata with a test judged in-process only, as kata 17's: the view must keep nothing of a
# request. The wrong fix answers right (served, it passes) and keeps every path it served.
KEEPS_NOTHING_TESTS = (
    TESTS
    + '''

import sys


def kept_paths():
    """The lists the kata's modules keep at module level that hold a served path."""
    return [
        value
        for module in list(sys.modules.values())
        if getattr(module, "__name__", "").startswith("katas.")
        for value in vars(module).values()
        if type(value) is list and "/hello/" in value
    ]


async def test_keeps_nothing_of_a_request(app):
    await app.get("/hello/")
    assert not kept_paths(), "the view keeps every path it served"
'''
)
KEEPS_NOTHING_TOML = (
    KATA_TOML
    + """
[server_mode.in_process_only]
test_keeps_nothing_of_a_request = "looks into the memory of the process serving the view"
"""
)
KEEPS_EVERY_PATH = """\
from django.http import JsonResponse

SERVED = []


async def hello(request):
    SERVED.append(request.path)
    return JsonResponse({"greeting": "hello"})
"""
# Each hides what the wrong fix keeps from the in-process test, from inside its process.
HIDES_FROM_THE_TEST = {
    # The test module's own helper, replaced.
    "01_replaces_the_tests_helper": """\
import sys

for module in list(sys.modules.values()):
    if hasattr(module, "kept_paths"):
        module.kept_paths = lambda: []
""",
    # The same helper, kept, with its code swapped: the function is still the same object.
    "02_swaps_the_helpers_code": """\
import sys

for module in list(sys.modules.values()):
    if hasattr(module, "kept_paths"):
        module.kept_paths.__code__ = (lambda: []).__code__
""",
    # Every "failed" the JSON encoder writes (pytest's report log, once the guard's) a pass.
    "03_rewrites_the_json_encoder": """\
import json

_encode = json.JSONEncoder.encode
json.JSONEncoder.encode = lambda self, o: _encode(self, o).replace('"failed"', '"passed"')
""",
}


@needs_bwrap
def test_code_that_hides_from_a_test_judged_in_its_own_process_scores_nothing(tmp_path: Path):
    course = tmp_path / "dojo"
    course.mkdir()
    copy_project(course)
    shutil.copytree(REPO / "dojo", course / "dojo", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("00_honest_wrong_fix", *HIDES_FROM_THE_TEST):
        write_kata(course, name, tests=KEEPS_NOTHING_TESTS, toml=KEEPS_NOTHING_TOML)
    commit(course)
    views = {"00_honest_wrong_fix": KEEPS_EVERY_PATH}
    views.update({name: attack + "\n\n" + KEEPS_EVERY_PATH
                  for name, attack in HIDES_FROM_THE_TEST.items()})  # fmt: skip

    _, results, _ = grade(
        course, tmp_path / "out", "--submission", str(submission(tmp_path / "work", views))
    )

    assert results["score"] == 0, katas(results)
    verdicts = katas(results)
    assert verdicts["00_honest_wrong_fix"] == ("fail", 0)
    assert all(verdicts[name] == ("error", 0) for name in HIDES_FROM_THE_TEST), verdicts
    assert all(
        kata["judged_inside"] == ["test_keeps_nothing_of_a_request"] for kata in results["katas"]
    )


@needs_bwrap
def test_graded_code_cannot_fill_the_graders_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    shut_in = sandbox.find()
    if not shut_in.available:
        pytest.fail(f"bubblewrap is installed but gives no sandbox here: {shut_in.why}")
    monkeypatch.setattr(sandbox, "FILE_SIZE_LIMIT", 1024**2)  # the real one is 256 MiB
    flood = tmp_path / "flood"
    # The folders a graded run writes lie on the grader's disk: a file written on and on.
    code = (
        "import signal; signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        f"with open({str(flood)!r}, 'wb') as file:\n"
        "    for _ in range(4):\n"
        "        file.write(bytes(1024**2))\n"
    )
    command = shut_in.wrap([sys.executable, "-c", code], env={}, cwd=tmp_path, writable=[tmp_path])

    ran = subprocess.run(
        command, preexec_fn=shut_in.limits(), capture_output=True, text=True, check=False
    )

    assert ran.returncode != 0
    assert "File too large" in ran.stderr
    assert flood.stat().st_size <= 1024**2
