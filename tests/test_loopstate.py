"""Seen from outside, through the kernel: a server's event loop free in its selector, or not.

A child process runs an event loop that idles, then blocks in ``time.sleep``, then idles
again; the test process, watching its loop thread, sees it free all through the idle
stretches and never while it was blocked.
"""

from __future__ import annotations

import subprocess
import sys

from dojo.server.loopstate import LoopSightings

SERVER = """
import asyncio, sys, time

async def main():
    print("idle", time.perf_counter(), flush=True)
    await asyncio.sleep(1.0)
    print("blocked", time.perf_counter(), flush=True)
    time.sleep(0.4)
    print("idle", time.perf_counter(), flush=True)
    await asyncio.sleep(0.5)
    print("done", time.perf_counter(), flush=True)

asyncio.run(main())
"""


def test_a_loop_is_seen_free_while_it_idles_and_never_while_it_is_held():
    with subprocess.Popen(
        [sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True
    ) as child:
        assert child.stdout is not None
        first = child.stdout.readline().split()
        sightings = LoopSightings(child.pid)
        sightings.start()
        marks = [first, *(line.split() for line in child.stdout)]
        sightings.stop()
    assert sightings.works, "/proc does not say where the child's loop thread waits"
    (_, idle), (_, blocked), (_, idle_again), (_, done) = [(m[0], float(m[1])) for m in marks]

    # Sightings began a moment after the child said it idled: judge the second half.
    assert sightings.longest_unseen((idle + blocked) / 2, blocked) < 0.3
    assert sightings.longest_unseen(blocked + 0.01, idle_again - 0.01) >= 0.35
    assert sightings.longest_unseen(idle_again + 0.05, done) < 0.3
