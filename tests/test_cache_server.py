"""``network_cache`` in server mode: kata 31's tests, served, against a cache server in the
test process (``dojo.harness.cacheserver``).

A child pytest runs two of the kata's tests served, once per learner file: the reference
fix passes, with its entries kept ten minutes on the tests' own clock; a sync cache call
fails, naming the line the worker reported; and one whose worker lies (it says its calls
are not the loop's, and names no line) still fails, on what the kernel shows of the
worker's loop thread while the cache server holds its answer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dojo.course.testrun import FAILED, PASSED, TestRun, run_pytest

ROOT = Path(__file__).resolve().parents[1]
KATA = "31_cache_missing_await"
TESTS = ["test_cache_calls_do_not_block_the_loop", "test_the_rates_are_kept_for_ten_minutes"]
# Appended to a sync-cache fix: the worker's report says no call was the loop's.
LIE = """
import dojo.server.netcache as _netcache

_netcache._on_loop = lambda: False
_netcache.site_of = lambda *args: None
"""


def served(tmp_path: Path, views: str) -> TestRun:
    target = tmp_path / "target"
    (target / KATA).mkdir(parents=True)
    (target / KATA / "views.py").write_text(views)
    selected = [f"katas/{KATA}/test_kata.py::{test}" for test in TESTS]
    return run_pytest(
        [*selected, "-p", "no:cacheprovider", "--server", f"--target={target}"], cwd=ROOT
    )


def outcome(run: TestRun, test: str) -> tuple[str, str]:
    result = run.outcomes[f"katas/{KATA}/test_kata.py::{test}"]
    return result.outcome, result.message


@pytest.fixture(scope="module")
def sync_cache() -> str:
    return (ROOT / "tests" / "fixes" / KATA / "wrong_sync_cache.py").read_text()


def test_the_reference_fix_passes_served_with_expiry_on_the_tests_clock(tmp_path: Path) -> None:
    run = served(tmp_path, (ROOT / "solutions" / KATA / "views.py").read_text())
    for test in TESTS:
        assert outcome(run, test)[0] == PASSED, run.output


def test_a_sync_cache_call_fails_served_naming_the_line(tmp_path: Path, sync_cache: str) -> None:
    run = served(tmp_path, sync_cache)
    verdict, text = outcome(run, "test_cache_calls_do_not_block_the_loop")
    assert verdict == FAILED, run.output
    assert "cache calls ran on the event loop" in text
    assert "views.py:33" in text and "rates = cache.get(key)" in text
    verdict, text = outcome(run, "test_the_rates_are_kept_for_ten_minutes")
    assert verdict == FAILED and "a sync cache call (cache.get(" in text, run.output


def test_a_worker_that_hides_its_sync_calls_still_fails_on_outside_evidence(
    tmp_path: Path, sync_cache: str
) -> None:
    run = served(tmp_path, sync_cache + LIE)
    verdict, text = outcome(run, "test_cache_calls_do_not_block_the_loop")
    assert verdict == FAILED, run.output
    assert "cache calls ran on the event loop" in text
