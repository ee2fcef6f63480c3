"""Watch mode, driven in a pseudo-terminal the way a learner uses it: edit a kata file and
see the rerun, then press keys."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.fakekata import FIXED_VIEW, copy_project, write_kata

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _take_terminal() -> None:
    """In the child: a session of its own, with the pseudo-terminal as its controlling
    terminal, so Ctrl-C there sends SIGINT as in a real terminal."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """A child process on a pseudo-terminal, read until an expected text shows up."""

    def __init__(self, command: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            preexec_fn=_take_terminal,
        )
        os.close(slave)
        self.screen = ""

    def expect(self, text: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.screen:
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail(f"{text!r} never showed up; the screen was:\n{self.screen[-3000:]}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    self.screen += ANSI.sub(
                        "", os.read(self.master, 65536).decode(errors="replace")
                    )
                except OSError:  # the child closed the terminal
                    break
        assert text in self.screen, self.screen[-3000:]

    def press(self, key: str) -> None:
        self.screen = ""
        os.write(self.master, key.encode())

    def close(self) -> int:
        try:
            return self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            os.close(self.master)


@pytest.fixture
def course(tmp_path: Path) -> Path:
    root = copy_project(tmp_path)
    write_kata(root, "01_hello")
    write_kata(root, "02_again")
    return root


@pytest.mark.timeout(90)
@pytest.mark.parametrize("poll", [False, True], ids=["file-events", "polling"])
def test_watch_reruns_on_save_and_answers_keys(course: Path, poll: bool) -> None:
    env = {**os.environ, "DOJO_ROOT": str(course), "TERM": "xterm"}
    command = [sys.executable, "-m", "dojo", "watch", *(["--poll"] if poll else [])]
    terminal = Terminal(command, course, env)
    try:
        terminal.expect("Progress ░░░")
        terminal.expect("✘ Kata 01 is not solved yet")
        terminal.expect("Watching katas/01_hello/ for changes.")
        terminal.screen = ""
        time.sleep(0.5)  # let the watcher settle before the save
        (course / "katas" / "01_hello" / "views.py").write_text(FIXED_VIEW)
        terminal.expect("Kata 01 is solved. Press [s] to compare")
        terminal.press("h")
        terminal.expect("Hint 1 of 3 · Kata 01 · Say hello")
        terminal.expect("Still stuck? press [h] for the next one.")
        terminal.press("r")
        terminal.expect("Kata 01 is solved. Reset it to the starter anyway?")
        terminal.press("x")
        terminal.expect("Not reset.")
        assert (course / "katas" / "01_hello" / "views.py").read_text() == FIXED_VIEW
        terminal.press("n")
        terminal.expect("Kata 02 · Say hello")
        terminal.expect("✘ Kata 02 is not solved yet")
        terminal.press("q")
        terminal.expect("Bye!")
    finally:
        code = terminal.close()
    assert code == 0


@pytest.mark.timeout(60)
def test_watch_stops_cleanly_on_ctrl_c(course: Path) -> None:
    env = {**os.environ, "DOJO_ROOT": str(course), "TERM": "xterm"}
    terminal = Terminal([sys.executable, "-m", "dojo", "watch", "2"], course, env)
    try:
        terminal.expect("Watching katas/02_again/ for changes.")
        terminal.press("\x03")
        terminal.expect("Stopped.")
    finally:
        code = terminal.close()
    assert code == 0
    assert "Traceback" not in terminal.screen
