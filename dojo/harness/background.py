"""Watch the tasks that the code under test starts and does not wait for.

A view that calls ``asyncio.create_task`` hands work to the event loop and answers at once;
whether that work ever finishes, and what becomes of its errors, cannot be seen in the
response. The ``background_tasks`` fixture installs a task factory on the test's event loop
that notes every task the learner's code creates (a task counts as the learner's when a frame
of the learner's code, not of a test file, is on the stack that creates it, so gather's and
TaskGroup's tasks count too). It holds them weakly, so it changes nothing about when a task
is collected.

A test can then wait for those tasks to settle, ask which are still pending and where each
one waits, check that the finished ones were let go instead of kept for ever, and collect
garbage while they are pending, to see whether the app holds them.

In server mode the tasks live in the worker process (``dojo.harness.servedtasks``): the
same API, with the verdicts on what the fake upstream saw.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
import weakref
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio

from dojo.harness.config import settings_key
from dojo.harness.loopwatch import CodeSite, code_site
from dojo.harness.servermode import server_mode, site_for

if TYPE_CHECKING:
    from dojo.harness.servedtasks import ServedBackgroundTasks

# How long settle() waits for background work by default: far above any kata's latency,
# even on a machine too busy to keep time.
SETTLE_TIMEOUT = 5.0
# At teardown, how long a cancelled task may take to finish.
CANCEL_GRACE = 1.0

TaskLike = asyncio.Task[Any]


@dataclass(frozen=True)
class _Started:
    """One task the learner's code created, held weakly, and the line that created it."""

    ref: weakref.ReferenceType[TaskLike]
    created_at: CodeSite


@dataclass
class Collected:
    """What a garbage collection met: the learner's tasks then pending, and those of them
    the app did not hold (each has ``get_name()``)."""

    pending: Sequence[Any] = field(default_factory=list)
    loose: Sequence[Any] = field(default_factory=list)


class BackgroundTasks:
    """The tasks the learner's code started during one test."""

    def __init__(self, loop: asyncio.AbstractEventLoop, code_roots: tuple[Path, ...]) -> None:
        self._loop = loop
        self._code_roots = code_roots
        self._started: list[_Started] = []
        self._previous_factory = loop.get_task_factory()

    # Recording ---------------------------------------------------------------------------

    def _factory(
        self,
        loop: asyncio.AbstractEventLoop,
        coro: Coroutine[Any, Any, Any],
        **kwargs: Any,
    ) -> asyncio.Future[Any]:
        if self._previous_factory is not None:
            task: Any = self._previous_factory(loop, coro, **kwargs)
        else:
            task = asyncio.Task(coro, loop=loop, **kwargs)
        site = self._learner_site(sys._getframe(1))
        if site is not None and isinstance(task, asyncio.Task):
            self._started.append(_Started(weakref.ref(task), site))
        return task  # type: ignore[no-any-return]

    def _learner_site(self, frame: FrameType | None) -> CodeSite | None:
        """The innermost frame of learner code (a kata's test files excluded)."""
        while frame is not None:
            path = Path(frame.f_code.co_filename)
            if not path.name.startswith("test_"):
                for root in self._code_roots:
                    if path.is_relative_to(root):
                        return code_site(path, frame.f_lineno, root.parent)
            frame = frame.f_back
        return None

    def install(self) -> None:
        self._loop.set_task_factory(self._factory)

    def uninstall(self) -> None:
        self._loop.set_task_factory(self._previous_factory)

    # What happened -----------------------------------------------------------------------

    def _alive(self) -> list[tuple[TaskLike, CodeSite]]:
        found = []
        for started in self._started:
            task = started.ref()
            if task is not None:
                found.append((task, started.created_at))
        return found

    @property
    def started(self) -> int:
        """How many tasks the learner's code created during the test."""
        return len(self._started)

    def pending(self) -> list[TaskLike]:
        """The learner's tasks that have not finished (the running test's own excluded)."""
        current = asyncio.current_task()
        return [task for task, _ in self._alive() if not task.done() and task is not current]

    async def settle(self, limit: float = SETTLE_TIMEOUT) -> None:
        """Wait until the learner's tasks have finished, at most ``limit`` seconds, then
        collect garbage so that tasks nobody holds are gone."""
        deadline = self._loop.time() + limit
        while pending := self.pending():
            remaining = deadline - self._loop.time()
            if remaining <= 0:
                break
            await asyncio.wait(pending, timeout=remaining)
        # Let the tasks' done callbacks run before looking at what is left.
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        gc.collect()

    @contextlib.asynccontextmanager
    async def collecting_garbage(
        self, held: Callable[[TaskLike], bool]
    ) -> AsyncIterator[Collected]:
        """Run the block (which starts the background work), then collect garbage while
        that work is pending: the result names the pending tasks, and the ones ``held``
        says the app does not hold. A task collected half-way never makes its next call."""
        collected = Collected()
        yield collected
        gc.collect()
        collected.pending = self.pending()
        collected.loose = [task for task in collected.pending if not held(task)]

    # Assertions --------------------------------------------------------------------------

    def assert_none_pending(self) -> None:
        """Fail, naming each task and where it waits, if a learner's task is still pending."""
        __tracebackhide__ = True
        current = asyncio.current_task()
        left = [
            (task, created_at)
            for task, created_at in self._alive()
            if not task.done() and task is not current
        ]
        if not left:
            return
        pytest.fail(
            f"{_count(len(left), 'background task')} the app started "
            f"{'was' if len(left) == 1 else 'were'} still pending after the test had waited "
            "for them:\n"
            + "\n".join(self._describe(task, created_at) for task, created_at in left),
            pytrace=False,
        )

    def assert_finished_ones_let_go(self) -> None:
        """Fail if finished tasks of the learner's are still alive after garbage collection:
        something keeps every task it ever started."""
        __tracebackhide__ = True
        gc.collect()
        kept = [(task, created_at) for task, created_at in self._alive() if task.done()]
        if not kept:
            return
        pytest.fail(
            f"{_count(len(kept), 'finished background task')} "
            f"{'is' if len(kept) == 1 else 'are'} still held in memory after finishing:\n"
            + "\n".join(self._describe(task, created_at) for task, created_at in kept)
            + "\nSomething keeps a reference to every task it starts and never lets go: on a "
            "server that runs for weeks, that collection only grows.",
            pytrace=False,
        )

    def _describe(self, task: TaskLike, created_at: CodeSite) -> str:
        waiting_at = None
        if not task.done():
            stack = task.get_stack()
            for frame in reversed(stack):
                waiting_at = self._learner_site(frame)
                if waiting_at is not None:
                    break
        return describe_task(_coroutine_name(task), created_at, waiting_at)

    # Tear-down ---------------------------------------------------------------------------

    async def cancel_leftovers(self) -> None:
        """Cancel whatever is still pending, so no task outlives its test's event loop."""
        leftovers = self.pending()
        for task in leftovers:
            task.cancel()
        if leftovers:
            await asyncio.wait(leftovers, timeout=CANCEL_GRACE)


def describe_task(what: str, created_at: CodeSite, waiting_at: CodeSite | None) -> str:
    """A task in a failure's list: its coroutine, where it was created and where it waits."""
    lines = [f"  - {what}, created at {created_at}"]
    if waiting_at is not None:
        lines.append(f"    waiting at {waiting_at}")
    return "\n".join(lines)


def _coroutine_name(task: TaskLike) -> str:
    coro = task.get_coro()
    name = getattr(coro, "__qualname__", None) or task.get_name()
    return f"{name}()"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@pytest_asyncio.fixture
async def background_tasks(
    request: pytest.FixtureRequest,
) -> AsyncIterator[BackgroundTasks | ServedBackgroundTasks]:
    """The tasks the kata's code starts and does not await: ``await
    background_tasks.settle()`` waits for them; ``.pending()``, ``.assert_none_pending()``
    and ``.assert_finished_ones_let_go()`` say what became of them; ``async with
    .collecting_garbage(held)`` tests whether the app holds them."""
    if server_mode(request.config):
        from dojo.harness.servedtasks import ServedBackgroundTasks

        # The app's teardown ends what the test's requests left running in the worker.
        yield ServedBackgroundTasks(
            site_for(request).port,
            request.getfixturevalue("upstream"),
            request.getfixturevalue("app"),
        )
        return
    watch = BackgroundTasks(
        asyncio.get_running_loop(), request.config.stash[settings_key].code_roots
    )
    watch.install()
    try:
        yield watch
    finally:
        watch.uninstall()
        await watch.cancel_leftovers()
