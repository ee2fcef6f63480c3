"""The truth check: each kata test's verdict is the same in-process and in server mode.

The in-process harness models a server; server mode is one (``dojo.harness.servermode``). For
every kata, the starter and the solution run both ways, and every test that ran in both
must get the same verdict: a disagreement is a bug in the harness or in the kata. Tests
server mode skips (they need a fixture only the in-process harness has) are listed with
the reason, so what is not yet checked against a real server stays in sight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dojo.course.catalog import Kata
from dojo.course.testrun import SKIPPED, TestRun

# pytest's short summary line of skipped tests (-rs): "SKIPPED [3] path[:line]: reason".
SKIP_LINE = re.compile(
    r"^SKIPPED \[\d+\] (?P<path>[^:\s]+)(?::\d+)?: (?P<reason>.+)$", re.MULTILINE
)


@dataclass
class Disagreement:
    """One test whose verdict depends on the mode."""

    test: str
    code: str  # "starter" or "solution"
    in_process: str
    served: str

    def __str__(self) -> str:
        return (
            f"{self.test} ({self.code}): {self.in_process} in-process, {self.served} in server mode"
        )


@dataclass
class ModeComparison:
    """How one kata's verdicts compare between the two modes."""

    compared: int = 0
    disagreements: list[Disagreement] = field(default_factory=list)
    skipped: set[str] = field(default_factory=set)
    reasons: set[str] = field(default_factory=set)

    @property
    def agree(self) -> bool:
        return not self.disagreements


def compare_modes(
    kata: Kata,
    in_process: tuple[TestRun, TestRun],
    served: tuple[TestRun, TestRun],
) -> ModeComparison:
    """Compare the kata's verdicts: (starter run, solution run) in each mode."""
    folder = f"katas/{kata.name}"
    comparison = ModeComparison()
    for code, inside, outside in zip(("starter", "solution"), in_process, served, strict=True):
        verdicts = {outcome.name: outcome.outcome for outcome in outside.in_folder(folder)}
        for outcome in inside.in_folder(folder):
            verdict = verdicts.get(outcome.name)
            if verdict is None:
                verdict = "not run"
            if verdict == SKIPPED and outcome.outcome != SKIPPED:
                comparison.skipped.add(outcome.name)
                continue
            comparison.compared += 1
            if verdict != outcome.outcome:
                comparison.disagreements.append(
                    Disagreement(outcome.name, code, outcome.outcome, verdict)
                )
        comparison.reasons |= skip_reasons(outside, folder)
    return comparison


def skip_reasons(run: TestRun, folder: str) -> set[str]:
    """The reasons pytest gave for the tests it skipped in ``folder`` (needs ``-rs``)."""
    prefix = folder.rstrip("/") + "/"
    return {
        match["reason"].strip()
        for match in SKIP_LINE.finditer(run.output)
        if match["path"].startswith(prefix)
    }
