"""What the grader reads back after a run: the guard's log, and the trusted tests' code.

The guard (``dojo.grading.guard``) writes one JSON line per event from inside the graded process;
this side reads it defensively (lines of bounded length, unknown lines ignored), since the
code under test could have written there too.
"""

from __future__ import annotations

import ast
import functools
import json
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from dojo.course.testrun import bounded_lines

PHASES = ("setup", "call", "teardown")
LINE_LENGTH = 200


@dataclass
class GuardLog:
    """The guard's record of a run: the tests collected, each phase's outcome as the guard
    judged it, and what (if anything) was tampered with."""

    collected: list[str] = field(default_factory=list)
    phases: dict[str, dict[str, str]] = field(default_factory=dict)
    tampered: str = ""
    finished: bool = False

    @classmethod
    def read(cls, path: Path) -> GuardLog:
        log = cls()
        if not path.is_file():
            return log
        for line in bounded_lines(path, 1_000_000):
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(event, dict):
                log._add(event)
        return log

    def _add(self, event: dict[str, object]) -> None:
        kind = event.get("event")
        nodeids = event.get("nodeids")
        if kind == "collected" and isinstance(nodeids, list):
            self.collected += [str(nodeid) for nodeid in nodeids]
        elif kind == "phase":
            phases = self.phases.setdefault(str(event.get("nodeid")), {})
            phases[str(event.get("when"))] = str(event.get("outcome"))
        elif kind == "tampered" and not self.tampered:
            self.tampered = str(event.get("detail") or "no detail")
        elif kind == "finished":
            self.finished = True

    def saw_pass(self, nodeid: str) -> bool:
        """The guard saw every phase of the test pass."""
        phases = self.phases.get(nodeid, {})
        return all(phases.get(when) == "passed" for when in PHASES)


def first_line(text: str | None, *, last: bool = False) -> str:
    """The first (or last) non-blank line of ``text``, with spaces collapsed, kept short."""
    lines = [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]
    if not lines:
        return ""
    line = lines[-1] if last else lines[0]
    return line if len(line) <= LINE_LENGTH else line[: LINE_LENGTH - 1] + "…"


def test_source(root: Path, nodeid: str) -> str:
    """The source of the test ``nodeid`` (decorators included) in the copy at ``root``."""
    path, *names = nodeid.split("::")
    if not names:
        return ""
    functions = _functions(root / path)
    return functions.get("::".join([*names[:-1], re.sub(r"\[.*\]$", "", names[-1])]), "")


@functools.lru_cache(maxsize=64)
def _functions(path: Path) -> dict[str, str]:
    """Every test function of a file, by its name inside the file (``Class::test_x``)."""
    try:
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
    except (OSError, SyntaxError, ValueError):
        return {}
    lines = source.splitlines()
    found: dict[str, str] = {}

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                visit(node.body, f"{prefix}{node.name}::")
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                text = "\n".join(lines[first - 1 : node.end_lineno])
                found[prefix + node.name] = textwrap.dedent(text)

    visit(tree.body, "")
    return found
