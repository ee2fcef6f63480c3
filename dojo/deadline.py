"""A view that never answers ends its test in a few seconds, with one plain paragraph.

Left alone, a view stuck in ``while True: pass`` or in an endless ``await`` loop runs until
pytest-timeout kills the test, and the learner reads pages of exception groups and thread
stacks that never name their line. The harness gives each request ``REQUEST_DEADLINE``
seconds instead, and then says where the view was:

- an async view still awaiting something (or spinning on ``await asyncio.sleep(...)``) is
  cancelled, and the report names the line its coroutine was waiting at;
- a view holding the loop in sync code can't be cancelled (the loop never gets control
  back), so the loop watchdog (``dojo.loopwatch``) raises ``ViewKeptTheLoop`` in the loop's
  thread, which unwinds the view from the line it was running.

Either way the kata's remaining tests are reported as not run: each would wait as long again
for the same reason.
"""

from __future__ import annotations

import asyncio
import ctypes
from pathlib import Path
from typing import Any

import pytest

from dojo.loopwatch import CodeSite, learner_site_at

# How long one request may take before the harness gives up on it: far above any kata's
# latency, below pytest-timeout's limit, and short enough for a verdict in seconds.
REQUEST_DEADLINE = 4.0
# How long a cancelled view may take to unwind.
CANCEL_GRACE = 1.0

hung_key = pytest.StashKey[dict[Path, str]]()


class ViewKeptTheLoop(BaseException):
    """Raised in the loop's thread when a view's sync code held it past the deadline.

    A BaseException, so that the view's own ``except Exception`` cannot swallow it."""


def awaiting_sites(task: asyncio.Task[Any], code_roots: tuple[Path, ...]) -> list[CodeSite]:
    """The learner's lines a task's coroutines are suspended at, innermost first."""
    sites = []
    awaited: Any = task.get_coro()
    while awaited is not None:
        frame = getattr(awaited, "cr_frame", None) or getattr(awaited, "gi_frame", None)
        if frame is not None:
            site = learner_site_at(frame.f_code.co_filename, frame.f_lineno, code_roots)
            if site is not None:
                sites.append(site)
        awaited = getattr(awaited, "cr_await", None) or getattr(awaited, "gi_yieldfrom", None)
    return sites[::-1]


def raise_in_thread(thread: int, error: type[BaseException]) -> None:
    """Make ``thread`` raise ``error`` at its next Python instruction."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), ctypes.py_object(error))


def never_answered(request: str, site: CodeSite | None, *, held_the_loop: bool) -> str:
    """The paragraph a learner reads when a view did not answer in time."""
    if held_the_loop:
        how = (
            "was still running sync code on the event loop, which never gave the loop back "
            "(a loop that never ends, or a call that never returns)"
        )
    else:
        how = "was still waiting (an await, or a loop of awaits, that never ends)"
    where = f", at\n  {site}" if site is not None else "."
    return (
        f"{request} did not answer within {REQUEST_DEADLINE:g} s. The view {how}{where}\n"
        "The kata's other tests are not run: each would wait as long again. Fix this first."
    )


def note_hang(config: pytest.Config, kata: Path | None, test: str) -> None:
    """Remember that a test of ``kata`` hung, so its other tests are not run."""
    if kata is not None:
        config.stash.setdefault(hung_key, {})[kata] = test


def hung_before(config: pytest.Config, kata: Path) -> str | None:
    """The test of ``kata`` whose view never answered, if one did."""
    return config.stash.get(hung_key, {}).get(kata)
