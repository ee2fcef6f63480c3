"""Every run of a kata's tests counts in the learner's progress: ``make kata``, ``make
watch`` and plain ``pytest katas/05_...`` alike.

A kata's verdict is recorded for the learner's own files (``katas/``, not another target)
once its tests have run: solved when every test passed; not yet when one failed. A run
that left some of its tests out (``-k``, ``-x``, an interrupt, a test skipped in server
mode) records only a failure, never a pass: it did not show that the kata is solved.
"""

from __future__ import annotations

import collections

import pytest

from dojo.course.catalog import Kata
from dojo.course.progress import Progress
from dojo.harness.config import kata_folder, kata_of, settings_key


class KataTally:
    """The outcome of each kata test of this run, by kata."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.katas: dict[str, Kata] = {}
        self.tests: dict[str, set[str]] = collections.defaultdict(set)
        self.kata_of_test: dict[str, str] = {}
        self.passed: dict[str, set[str]] = collections.defaultdict(set)
        self.failed: set[str] = set()
        self.left_out: set[str] = set()

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        for item in items:
            kata = kata_folder(item.path)
            if kata is not None:
                self.left_out.add(kata.name)

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        for item in session.items:
            folder = kata_folder(item.path)
            kata = kata_of(folder) if folder is not None else None
            if kata is not None:
                self.katas[kata.name] = kata
                self.tests[kata.name].add(item.nodeid)
                self.kata_of_test[item.nodeid] = kata.name

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        kata = self.kata_of_test.get(report.nodeid)
        if kata is None:
            return
        if report.failed:
            self.failed.add(kata)
        elif report.skipped:
            self.left_out.add(kata)
        elif report.when == "call":
            self.passed[kata].add(report.nodeid)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        dojo = self.config.stash[settings_key]
        if dojo.target_dir != dojo.root / "katas" or not self.katas:
            return
        progress = Progress.load(dojo.root)
        for name, kata in self.katas.items():
            if kata.path.parent != dojo.root / "katas":
                continue
            solved = name not in self.left_out and self.passed[name] == self.tests[name]
            if name in self.failed or solved:
                try:
                    progress.record(kata, solved)
                except OSError:  # a read-only checkout (a graded copy): nothing to keep
                    return


def pytest_configure(config: pytest.Config) -> None:
    # Not in a worker of pytest-xdist: the controller sees every report.
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(KataTally(config), "dojo-kata-tally")
