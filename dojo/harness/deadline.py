"""A view that never answers ends its test in a few seconds, with one plain paragraph.

Left alone, a view stuck in ``while True: pass`` or in an endless ``await`` loop runs until
pytest-timeout kills the test, and the learner reads pages of exception groups and thread
stacks that never name their line. The harness gives each request ``REQUEST_DEADLINE``
seconds instead, and then says where the view was:

- an async view still awaiting something (or spinning on ``await asyncio.sleep(...)``) is
  cancelled, and the report names the line its coroutine was waiting at;
- a view holding the loop in sync code can't be cancelled (the loop never gets control
  back), so the loop watchdog (``dojo.harness.loopwatch``) raises ``ViewKeptTheLoop`` in the loop's
  thread, which unwinds the view from the line it was running.

In server mode the view runs in the worker, which the test can neither cancel nor unwind:
the test asks the worker where its view is (``ask_where_stuck``: a signal, answered from the
worker's main thread, its loop's, even in ``while True: pass``), then stops it.

Either way the kata's remaining tests are reported as not run: each would wait as long again
for the same reason.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import sys
import time
from pathlib import Path

import pytest

from dojo.harness.loopwatch import CodeSite, learner_sites
from dojo.harness.loopwatch import awaiting_sites as awaiting_sites
from dojo.server.serverside import STUCK_SIGNAL, read_stuck_report, stuck_report_path

# How long one request may take before the harness gives up on it: far above any kata's
# latency, below pytest-timeout's limit, and short enough for a verdict in seconds.
REQUEST_DEADLINE = 4.0
# How long a cancelled view may take to unwind.
CANCEL_GRACE = 1.0
# Server mode: how long the worker may take to say where its view is stuck.
ASK_GRACE = 1.0

hung_key = pytest.StashKey[dict[Path, str]]()


class ViewKeptTheLoop(BaseException):
    """Raised in the loop's thread when a view's sync code held it past the deadline.

    A BaseException, so that the view's own ``except Exception`` cannot swallow it."""


def raise_in_thread(thread: int, error: type[BaseException]) -> None:
    """Make ``thread`` raise ``error`` at its next Python instruction."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), ctypes.py_object(error))


def stop_learner_threads(code_roots: tuple[Path, ...], loop_thread: int) -> CodeSite | None:
    """Stop the threads other than the loop's that run the learner's code (the work of a
    ``sync_to_async`` or ``to_thread`` call that never returns: cancelling the view does not
    stop it, and Python waits for it at exit, so the run would never end); the line the
    first of them was at."""
    first = None
    for thread, frame in sys._current_frames().items():
        sites = learner_sites(frame, code_roots) if thread != loop_thread else []
        if sites:
            raise_in_thread(thread, ViewKeptTheLoop)
            first = first or sites[0]
    return first


def never_answered(
    request: str,
    site: CodeSite | None,
    *,
    held_the_loop: bool,
    thread_site: CodeSite | None = None,
) -> str:
    """The paragraph a learner reads when a view did not answer in time."""
    if held_the_loop:
        how = (
            "was still running sync code on the event loop, which never gave the loop back "
            "(a loop that never ends, or a call that never returns)"
        )
    elif thread_site is not None:
        how = "was still waiting for work it gave a thread, which never finished"
    else:
        how = "was still waiting (an await, or a loop of awaits, that never ends)"
    where = f", at\n  {site}" if site is not None else "."
    if thread_site is not None:
        where += f"\nThe thread was running\n  {thread_site}"
    return (
        f"{request} did not answer within {REQUEST_DEADLINE:g} s. The view {how}{where}\n"
        "The kata's other tests are not run: each would wait as long again. Fix this first."
    )


async def ask_where_stuck(pid: int) -> tuple[bool, CodeSite | None] | None:
    """Server mode: whether the worker ``pid``'s view holds its loop, and the learner's line
    it is at; None when the worker does not say (gone, or in a sandbox of its own)."""
    report = stuck_report_path(pid)
    report.unlink(missing_ok=True)
    try:
        os.kill(pid, STUCK_SIGNAL)
    except OSError:
        return None
    give_up = time.monotonic() + ASK_GRACE
    while time.monotonic() < give_up:
        answer = read_stuck_report(report)
        if answer is not None:
            report.unlink(missing_ok=True)
            return answer
        await asyncio.sleep(0.02)
    return None


def note_hang(config: pytest.Config, kata: Path | None, test: str) -> None:
    """Remember that a test of ``kata`` hung, so its other tests are not run."""
    if kata is not None:
        config.stash.setdefault(hung_key, {})[kata] = test


def hung_before(config: pytest.Config, kata: Path) -> str | None:
    """The test of ``kata`` whose view never answered, if one did."""
    return config.stash.get(hung_key, {}).get(kata)
