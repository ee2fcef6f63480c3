"""The threads of a process held in work they were given, seen through /proc
(dojo.harness.heldthreads): what decides kata 28's and 29's chain check in server mode."""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from dojo.harness.heldthreads import HeldThreads, readable

pytestmark = pytest.mark.skipif(
    not readable(os.getpid()), reason="this kernel does not show a thread's system call"
)


def test_a_thread_blocked_in_its_work_is_held_and_an_idle_one_is_not() -> None:
    threads = HeldThreads(os.getpid())
    released: Future[None] = Future()
    with ThreadPoolExecutor(max_workers=1) as idle, ThreadPoolExecutor(max_workers=1) as busy:
        idle_tid = idle.submit(threading.get_native_id).result()
        # A worker that waits for a result, as one blocked in async_to_sync waits for the view.
        busy_tid = busy.submit(lambda: (threading.get_native_id(), released.result())[0])
        with threads.watching():
            time.sleep(0.05)
            start = time.perf_counter()
            time.sleep(0.2)
            end = time.perf_counter()
        released.set_result(None)
        held, seen = threads.held([(start, end)])
        assert seen == 1
        assert held == {busy_tid.result()}
        assert idle_tid not in held


def test_a_thread_kept_in_its_work_is_held_however_often_it_wakes() -> None:
    threads = HeldThreads(os.getpid())
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as pool:
        # A wait taken in slices of a few milliseconds, as graded code in the worker can
        # make async_to_sync's: awake all the time, and never free for other work.
        waker = pool.submit(
            lambda: (threading.get_native_id(), [stop.wait(0.003) for _ in range(200)])[0]
        )
        with threads.watching():
            start = time.perf_counter()
            time.sleep(0.2)
            end = time.perf_counter()
        stop.set()
        held, _ = threads.held([(start, end)])
        assert waker.result() in held


def test_a_thread_already_awake_before_the_requests_is_not_held() -> None:
    stop = threading.Event()
    # The site's own watchers (the loop watch) wake every few milliseconds from the start.
    watcher = threading.Thread(target=lambda: [stop.wait(0.003) for _ in range(200)])
    watcher.start()
    time.sleep(0.02)
    threads = HeldThreads(os.getpid())
    with threads.watching():
        start = time.perf_counter()
        time.sleep(0.2)
        end = time.perf_counter()
    stop.set()
    watcher.join()
    held, _ = threads.held([(start, end)])
    assert watcher.native_id not in held
