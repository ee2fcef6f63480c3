"""The loop watch charges the view's code, not the runtime: a garbage collection that runs
in the loop's thread is left out of how long the loop was held."""

from __future__ import annotations

import gc
import threading

from dojo.harness.loopwatch import CodeSite, Run, _collecting

SITE = CodeSite("katas/08_blocking_sleep/views.py", 14, "time.sleep(0.3)")


def test_the_garbage_collectors_time_is_counted_in_the_thread_that_ran_it() -> None:
    garbage = []
    for _ in range(200_000):
        cycle: list[object] = []
        cycle.append(cycle)
        garbage.append(cycle)
    before = _collecting[threading.get_ident()]
    del garbage, cycle
    gc.collect()
    assert _collecting[threading.get_ident()] > before


def test_a_run_the_collector_stretched_is_held_only_for_the_rest() -> None:
    computed = Run(0.0, 0.15, (SITE,), blocked=False, cpu=0.15, collecting=0.12)
    waited = Run(0.0, 0.3, (SITE,), blocked=True, cpu=0.0, collecting=0.0)
    assert round(computed.seconds, 3) == 0.03
    assert waited.seconds == 0.3
