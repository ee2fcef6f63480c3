"""The child process a graded kata runs in: its output stays bounded, it is stopped on
time, and nothing it started outlives it."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from dojo.course.testrun import EXIT_GRACE, OUTPUT_LIMIT, bounded_lines, run_child
from dojo.grading.gradelogs import GuardLog


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_a_flood_of_output_is_kept_to_its_head_and_tail(tmp_path: Path):
    code, output, timed_out = run_child(
        python("import os; os.write(1, b'a' * 3_000_000 + b'the end')"), tmp_path, {}, 30
    )

    assert (code, timed_out) == (0, False)
    assert len(output) < OUTPUT_LIMIT + 100
    assert output.startswith("aaa") and output.endswith("the end")
    assert "bytes of output left out" in output


def test_a_child_that_will_not_exit_after_its_session_ended_is_stopped(tmp_path: Path):
    done = tmp_path / "done"
    started = time.monotonic()

    code, _, timed_out = run_child(
        python(f"import pathlib, time; pathlib.Path({str(done)!r}).touch(); time.sleep(60)"),
        tmp_path,
        {},
        60,
        finished=done.exists,
    )

    assert (code, timed_out) == (-9, False)
    assert time.monotonic() - started < EXIT_GRACE + 8


def test_the_time_limit_kills_the_child_and_what_it_started(tmp_path: Path):
    pid_file = tmp_path / "grandchild"
    spawn = (
        "import subprocess, sys, time;"
        "p = subprocess.Popen(['sleep', '60']);"
        f"open({str(pid_file)!r}, 'w').write(str(p.pid));"
        "time.sleep(60)"
    )
    started = time.monotonic()

    code, _, timed_out = run_child(python(spawn), tmp_path, {}, 3)

    assert (code, timed_out) == (-9, True)
    assert time.monotonic() - started < 10
    time.sleep(0.2)
    status = Path(f"/proc/{pid_file.read_text()}/status")
    assert not status.exists() or "zombie" in status.read_text()


def test_overlong_or_broken_log_lines_are_left_out(tmp_path: Path):
    log = tmp_path / "guard.jsonl"
    lines = [
        json.dumps({"event": "collected", "nodeids": ["katas/01_a/test_kata.py::test_x"]}),
        json.dumps({"event": "phase", "nodeid": "x" * 5000, "when": "call"}),
        '{"event": "phase", "nodeid": "cut short by a ki',
        "[1, 2, 3]",
        json.dumps({"event": "tampered", "detail": "a hook was added"}),
    ]
    log.write_text("\n".join(lines) + "\n")

    assert [len(line) for line in bounded_lines(log, 1000)][1] == 0
    guard = GuardLog.read(log)
    assert guard.collected == ["katas/01_a/test_kata.py::test_x"]
    assert guard.tampered == "a hook was added"
    assert not guard.saw_pass("katas/01_a/test_kata.py::test_x")
