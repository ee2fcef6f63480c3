"""The loop watch charges the view's code, not the runtime: a garbage collection that runs
in the loop's thread is left out of how long the loop was held. A spin on short waits is a
busy wait however slowly a loaded machine lets it turn; code that waits on something real
between a few short waits is not."""

from __future__ import annotations

import gc
import threading

from dojo.harness.loopwatch import (
    CodeSite,
    Run,
    Turn,
    _collecting,
    short_waits,
    spinning,
    unbroken_spin,
)

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


def turns(every: float, pending: float, count: int) -> list[Turn]:
    """``count`` short waits asked ``every`` seconds, each pending ``pending`` seconds."""
    made = []
    for number in range(count):
        turn = Turn()
        turn.asked = number * every
        turn.ended = turn.asked + pending
        made.append(turn)
    return made


def judged(asked: list[Turn], wall: float) -> bool:
    return spinning(len(asked), unbroken_spin(asked), wall, short_waits(asked))


def test_a_spin_on_one_millisecond_timeouts_is_a_busy_wait_however_loaded_the_machine() -> None:
    # Quiet: a turn every 2 ms. Loaded: each 1 ms timer fires 15-30 ms late, so a 0.3 s
    # spin asks for a dozen turns, yet a timer of its own is pending all the while.
    assert judged(turns(every=0.002, pending=0.0018, count=150), wall=0.31)
    assert judged(turns(every=0.016, pending=0.0155, count=19), wall=0.31)
    assert judged(turns(every=0.031, pending=0.030, count=10), wall=0.31)


def test_a_short_wait_between_real_waits_is_not_a_busy_wait_even_when_late() -> None:
    # A 1 ms pause between 50 ms upstream calls, fired 20 ms late on a loaded machine.
    assert not judged(turns(every=0.07, pending=0.02, count=19), wall=1.4)
    # A handful of sleep(0) to be fair, between the same calls.
    assert not judged(turns(every=0.05, pending=0.0, count=19), wall=1.0)
