"""``background_tasks`` in server mode: the tasks the view starts live in the worker.

The test process cannot hold the worker's tasks; it judges what they did from outside, and
asks the worker (``dojo.server.backgroundwork``) only what it cannot see:

- the work has settled once the worker has no task of the learner's pending and no call to
  the fake upstream is in flight; then the site's logs come back to ``caplog``;
- a task left pending fails from either side: a call of the test's upstream never ended,
  or the worker reports a task of the learner's still pending (an inside report, which
  names the task and its lines: it can add a failure, never remove one);
- whether the app holds its tasks: ``collecting_garbage`` has the worker park the calls of
  background tasks where nothing but the task itself refers to them, collect garbage, and
  let them go. A task nothing held is gone, and its call never reaches the fake upstream:
  the test sees that in the fake's log (the worker's list of what it collected only names
  them).

The worker's loop outlives the test, as the in-process loop does not: every served test's
``app`` ends what the learner's code left running (``end_background_work``), so that no
leftover calls the next test's fake services or logs into its caplog.

Whether a finished task is still kept in memory can only be seen inside the worker: a test
asking that is judged in-process only (its kata says so).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from dojo.harness.background import SETTLE_TIMEOUT, Collected, _count, describe_task
from dojo.harness.loopwatch import CodeSite
from dojo.harness.remote import RemoteApp
from dojo.harness.servermode import ASK_TIMEOUT, ask_site
from dojo.harness.upstream import Upstream
from dojo.server.serverside import BACKGROUND_PATH, read_site

# How often the test process looks at the worker's tasks while it waits for them.
LOOK_INTERVAL = 0.02
# How long background tasks may take to reach their parked call once their request has
# answered: they are on their way within a loop turn or two.
PARK_TIMEOUT = 2.0
# At the end of a test, a worker that does not answer this soon has its loop held.
END_TIMEOUT = 1.0
NOT_SAID = CodeSite("(the server process did not say)", 0, "")


@dataclass(frozen=True)
class ServedTask:
    """A task of the learner's in the worker, as the worker describes it."""

    name: str
    what: str = "a task()"
    created_at: CodeSite = NOT_SAID
    waiting_at: CodeSite | None = None

    def get_name(self) -> str:
        return self.name


class ServedBackgroundTasks:
    """The tasks the learner's code started in the worker at ``port`` during one test."""

    def __init__(self, port: int, upstream: Upstream, app: RemoteApp) -> None:
        self._port = port
        self._upstream = upstream
        self._app = app

    def _ask(self, do: str) -> dict[str, Any]:
        return ask_worker(self._port, do)

    async def _aask(self, do: str) -> dict[str, Any]:
        return await asyncio.to_thread(self._ask, do)

    # What happened -----------------------------------------------------------------------

    @property
    def started(self) -> int:
        """How many tasks the learner's code created during the test (the worker's count)."""
        return int(self._ask("look").get("started", 0))

    def pending(self) -> list[ServedTask]:
        """The learner's tasks that have not finished, as the worker reports them."""
        return _tasks(self._ask("look"))

    def _in_flight(self) -> list[str]:
        return [f"{call.method} {call.url}" for call in self._upstream.calls if not call.finished]

    async def settle(self, limit: float = SETTLE_TIMEOUT) -> None:
        """Wait until the learner's tasks have finished and no call to the fake upstream
        is in flight, at most ``limit`` seconds; then collect the worker's garbage and log
        here what the site logged meanwhile."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            if not self._in_flight() and not (await self._aask("look")).get("pending"):
                break
            await asyncio.sleep(LOOK_INTERVAL)
        await self._app._ask_for_reports("the background work", [], collect=True)

    @contextlib.asynccontextmanager
    async def collecting_garbage(self, held: Callable[[Any], bool]) -> AsyncIterator[Collected]:
        """Run the block (which starts the background work) with the calls of background
        tasks parked in the worker, then collect the worker's garbage and let the calls go.
        ``held`` cannot run here: whether the app held a task shows in whether its call
        reaches the fake upstream; the result names what the worker says it met."""
        await self._aask("park")
        collected = Collected()
        yield collected
        deadline = time.perf_counter() + PARK_TIMEOUT
        while time.perf_counter() < deadline:
            look = await self._aask("look")
            if look.get("parked", 0) >= len(look.get("pending", [])):
                break
            await asyncio.sleep(LOOK_INTERVAL)
        answer = await self._aask("collect")
        collected.pending = [ServedTask(name) for name in answer.get("parked", [])]
        collected.loose = [ServedTask(name) for name in answer.get("collected", [])]

    # Assertions --------------------------------------------------------------------------

    def assert_none_pending(self) -> None:
        """Fail if a call of the background work to the fake upstream never ended, or the
        worker reports a task of the learner's still pending."""
        __tracebackhide__ = True
        left = _tasks(self._ask("look"))
        if left:
            pytest.fail(
                f"{_count(len(left), 'background task')} the app started "
                f"{'was' if len(left) == 1 else 'were'} still pending after the test had waited "
                "for them:\n"
                + "\n".join(
                    describe_task(task.what, task.created_at, task.waiting_at) for task in left
                ),
                pytrace=False,
            )
        calls = self._in_flight()
        if calls:
            pytest.fail(
                f"{_count(len(calls), 'call')} the app made to other services had not ended "
                "after the test had waited for its background work: "
                + ", ".join(calls)
                + ".\nThe task that made it was still pending.",
                pytrace=False,
            )

    def assert_finished_ones_let_go(self) -> None:
        """Not judged in server mode: what the worker keeps in memory is seen only inside it."""
        raise pytest.UsageError(
            "Whether finished tasks are let go can only be judged in-process: list the test "
            "in its kata.toml's [server_mode.in_process_only] table."
        )


def _tasks(look: dict[str, Any]) -> list[ServedTask]:
    return [
        ServedTask(
            task.get("name", "a task"),
            task.get("what", "a task()"),
            read_site(task.get("created_at") or "") or NOT_SAID,
            read_site(task.get("waiting_at") or ""),
        )
        for task in look.get("pending", [])
    ]


def ask_worker(port: int, do: str, *, timeout: float = ASK_TIMEOUT) -> dict[str, Any]:
    """Post ``{"do": do}`` to the worker at ``port``: its answer, or {} if it refused."""
    status, answer = ask_site(port, BACKGROUND_PATH, {"do": do}, timeout=timeout)
    return answer if status == 200 and isinstance(answer, dict) else {}


def end_background_work(port: int) -> None:
    """At the end of a test, cancel what the learner's code left running in the worker at
    ``port`` (and let parked calls go), as the in-process mode's event loop, which ends
    with its test, does: work left over must not call the next test's fake services, nor
    log into its caplog."""
    # A worker gone has nothing running; one whose loop is held (a test stopped by its time
    # limit) cannot end anything: either way the next test is not kept waiting for it.
    with contextlib.suppress(pytest.fail.Exception):
        ask_worker(port, "end", timeout=END_TIMEOUT)
