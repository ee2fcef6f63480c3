"""Which event loop of the test process sends a request, for server mode.

A test that runs the view on other event loops (``on_new_loop``, a kata's own loops in
worker threads) sends those requests from threads other than the main one. In server mode
each such request says, in ``LOOP_HEADER``, which thread and which loop sent it, and the
worker serves it on its own mirror of that loop (``dojo.server.otherloops``). The test's
own loop, on the main thread, asks for nothing: the server's loop serves it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import threading
import weakref
from dataclasses import dataclass

import pytest

from dojo.harness.servermode import ask_site
from dojo.server.otherloops import LOOP_HEADER, LOOPS_PATH

# Ending the worker's other loops waits for what their requests left running, briefly.
END_TIMEOUT = 10.0

_numbers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, int] = weakref.WeakKeyDictionary()
_next_number = itertools.count(1)


def loop_key() -> str | None:
    """``<thread>/<loop>`` for a request sent from a loop off the main thread, else None."""
    if threading.current_thread() is threading.main_thread():
        return None
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    if loop not in _numbers:
        _numbers[loop] = next(_next_number)
    return f"{threading.get_ident()}/{_numbers[loop]}"


def loop_headers() -> dict[str, str]:
    """The header that asks the worker for the sending loop's mirror, if it needs one."""
    key = loop_key()
    return {} if key is None else {LOOP_HEADER.decode(): key}


@dataclass
class Sent:
    """A request or burst the test sent: when, from which loop (None: the test's own)."""

    what: str
    method: str
    path: str
    start: float
    loop: str | None
    end: float | None = None


def end_other_loops(port: int) -> None:
    """Ask the worker at ``port`` to end its mirrors of the test's other loops."""
    # A worker that has gone (a crash, a hang it was stopped for) has no loops left.
    with contextlib.suppress(pytest.fail.Exception):
        ask_site(port, LOOPS_PATH, {}, timeout=END_TIMEOUT)
