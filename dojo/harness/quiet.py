"""Quiet, complete output: Python's warnings in the failure they belong to, nothing after the
verdict.

pytest gathers the warnings of a run into a summary at its end, far from the failure they
explain, and ``make kata`` (``--disable-warnings``) hides that summary while the last line
still counts it ("12 failed, 21 warnings"): a riddle. So a kata test that fails shows the
warnings raised while it ran under its own failure, each once, with the learner's line,
and they leave pytest's count; with the summary hidden, no warning is counted at all.

Once the run is over, nothing more is printed: a coroutine never awaited or a task's
exception never retrieved, found by the garbage collector as the process ends, would only
add lines after the verdict, which no test can explain (each test's own were reported in
it, by the house rules).
"""

from __future__ import annotations

import collections
import logging
import warnings
from collections.abc import Generator

import pytest

from dojo.harness.config import kata_folder, settings_key
from dojo.harness.loopwatch import learner_site_at

SECTION = "Python warned while this test ran"
# What Python prints about objects collected once the run is over.
AFTER_THE_RUN_WARNING = r"coroutine .* was never awaited"


class _AfterTheRun(logging.Filter):
    """Drops asyncio's log records: "Task exception was never retrieved" at exit."""

    def filter(self, record: logging.LogRecord) -> bool:
        return False


_after_the_run = _AfterTheRun()


class WarningsInFailures:
    """Moves each warning of a failed kata test from pytest's summary into its failure."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.failed: dict[str, pytest.TestReport] = {}
        self.warned: dict[str, collections.Counter[tuple[str, str, str]]] = {}

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        if report.failed and kata_folder(item.path) is not None:
            self.failed.setdefault(item.nodeid, report)
        return report

    # After the terminal reporter, which has just counted the warning.
    @pytest.hookimpl(trylast=True)
    def pytest_warning_recorded(
        self, warning_message: warnings.WarningMessage, when: str, nodeid: str
    ) -> None:
        if when != "runtest":
            return
        report = self.failed.get(nodeid)
        if report is not None:
            self._show(report, warning_message)
        if report is not None or self.config.option.disable_warnings:
            self._uncount(nodeid)

    def _show(self, report: pytest.TestReport, warning: warnings.WarningMessage) -> None:
        code_roots = self.config.stash[settings_key].code_roots
        site = learner_site_at(warning.filename, warning.lineno, code_roots)
        where = f", at\n  {site}" if site is not None else ""
        key = (warning.category.__name__, str(warning.message).rstrip("."), where)
        warned = self.warned.setdefault(report.nodeid, collections.Counter())
        warned[key] += 1
        shown = "\n".join(
            f"{category}{f' ({count} times)' if count > 1 else ''}: {message}{where}"
            for (category, message, where), count in warned.items()
        )
        sections = [section for section in report.sections if section[0] != SECTION]
        report.sections = [*sections, (SECTION, shown)]

    def _uncount(self, nodeid: str) -> None:
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is None:
            return
        counted = reporter.stats.get("warnings", [])
        if counted and counted[-1].nodeid == nodeid:
            counted.pop()
        if not counted:
            reporter.stats.pop("warnings", None)
            # The run's colour: yellow only while a warning is counted.
            reporter._set_main_color()


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(WarningsInFailures(config), "dojo-warnings-in-failures")
    # A run in the same process as an earlier one (make watch) hears Python again.
    _Quiet.end()


@pytest.hookimpl(tryfirst=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Before the house rules collect the last test's garbage: from now on, quiet."""
    _Quiet.begin()


class _Quiet:
    """The filters that keep the end of the run quiet, while they are on."""

    warnings_kept: warnings.catch_warnings[None] | None = None

    @classmethod
    def begin(cls) -> None:
        logging.getLogger("asyncio").addFilter(_after_the_run)
        if cls.warnings_kept is None:
            cls.warnings_kept = warnings.catch_warnings()
            cls.warnings_kept.__enter__()
            warnings.filterwarnings("ignore", AFTER_THE_RUN_WARNING, RuntimeWarning)

    @classmethod
    def end(cls) -> None:
        logging.getLogger("asyncio").removeFilter(_after_the_run)
        if cls.warnings_kept is not None:
            cls.warnings_kept.__exit__(None, None, None)
            cls.warnings_kept = None
