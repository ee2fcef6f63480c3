"""The grade, written out: results.json (Exercism's v3 format, extended with scores),
JUnit XML for CI tools, and a Markdown summary that is also printed and, on GitHub Actions,
appended to the job's step summary.

Text that came from the learner's run (messages, output) is kept short and escaped for the
format it goes into: it may hold anything.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from dojo.grade import Grade
from dojo.gradelogs import first_line
from dojo.verdict import KataResult

RESULTS_VERSION = 3
# Exercism's limit for a test's output.
OUTPUT_LIMIT = 500
MESSAGE_LIMIT = 10_000
SCORING = "one point per kata whose tests all pass"
STATUS_WORDS = {"pass": "✔ pass", "fail": "✘ fail", "error": "✘ error", "timeout": "✘ timed out"}
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def write_all(grade: Grade, out: Path) -> dict[str, Path]:
    """Write results.json, junit.xml and summary.md into ``out``; their paths by name."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / name for name in ("results.json", "junit.xml", "summary.md")}
    paths["results.json"].write_text(
        json.dumps(results(grade), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    paths["junit.xml"].write_bytes(junit_xml(grade))
    paths["summary.md"].write_text(summary(grade), encoding="utf-8")
    return paths


def append_step_summary(grade: Grade) -> None:
    """Append the summary to $GITHUB_STEP_SUMMARY when CI set it."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as step_summary:
            step_summary.write(summary(grade) + "\n")


# ---------------------------------------------------------------- results.json


def results(grade: Grade) -> dict[str, Any]:
    """The grade as a results.json document (see dojo/schemas/results.schema.json)."""
    return {
        "version": RESULTS_VERSION,
        "status": grade.status,
        "message": grade.problem,
        "score": grade.score,
        "max_score": grade.max_score,
        "tests": [
            {
                "name": test.name,
                "kata": test.kata,
                "nodeid": test.nodeid,
                "status": test.status,
                "message": _cut(test.message, MESSAGE_LIMIT) if test.status != "pass" else None,
                "output": _output(test.output),
                "test_code": test.test_code,
                "duration": round(test.duration, 3),
            }
            for result in grade.katas
            for test in result.tests
        ],
        "katas": [_kata(result) for result in grade.katas],
        "grader": {
            "commit": grade.source.commit,
            "ref": grade.source.ref,
            "seed": grade.seed,
            "changed_protected_files": [
                {"path": path, "change": change} for path, change in grade.changed_files
            ],
            "submission": str(grade.submission.path),
            "kata_time_limit": grade.options.kata_time_limit,
            "test_time_limit": grade.options.test_time_limit,
            "scoring": SCORING,
            "started_at": datetime.datetime.fromtimestamp(grade.started_at, datetime.UTC)
            .isoformat(timespec="seconds")
            .replace("+00:00", "Z"),
            "duration": round(grade.duration, 2),
        },
    }


def _kata(result: KataResult) -> dict[str, Any]:
    return {
        "number": result.kata.number,
        "name": result.kata.name,
        "title": result.kata.title,
        "level": result.kata.level,
        "status": result.status,
        "message": result.message or None,
        "score": result.score,
        "max_score": result.max_score,
        "tests": len(result.tests),
        "passed": sum(test.status == "pass" for test in result.tests),
        "duration": round(result.duration, 2),
    }


def _output(text: str) -> str | None:
    if not text:
        return None
    if len(text) <= OUTPUT_LIMIT:
        return text
    note = "\n[output cut to 500 characters]"
    return text[: OUTPUT_LIMIT - len(note)] + note


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------- junit.xml


def junit_xml(grade: Grade) -> bytes:
    """One <testsuite> per kata, one <testcase> per expected test, including unreported ones."""
    tests = [test for result in grade.katas for test in result.tests]
    root = ET.Element("testsuites", {"name": "Async Django Dojo", **_counts(tests)})
    root.set("time", f"{grade.duration:.3f}")
    for result in grade.katas:
        suite = ET.SubElement(
            root, "testsuite", {"name": result.kata.name, **_counts(result.tests)}
        )
        suite.set("time", f"{result.duration:.3f}")
        properties = ET.SubElement(suite, "properties")
        for name, value in (("status", result.status), ("score", result.score),
                            ("max_score", result.max_score)):  # fmt: skip
            ET.SubElement(properties, "property", name=name, value=str(value))
        for test in result.tests:
            module = test.nodeid.split("::", 1)[0].removesuffix(".py").replace("/", ".")
            case = ET.SubElement(suite, "testcase", classname=module, name=_xml(test.name))
            case.set("time", f"{test.duration:.3f}")
            if test.status != "pass":
                tag = "failure" if test.status == "fail" else "error"
                problem = ET.SubElement(case, tag, message=_xml(first_line(test.message)))
                problem.text = _xml(_cut(test.message, MESSAGE_LIMIT))
            if test.output:
                ET.SubElement(case, "system-out").text = _xml(_output(test.output) or "")
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def _counts(tests: list[Any]) -> dict[str, str]:
    return {
        "tests": str(len(tests)),
        "failures": str(sum(test.status == "fail" for test in tests)),
        "errors": str(sum(test.status == "error" for test in tests)),
        "skipped": "0",
    }


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


# ---------------------------------------------------------------- summary.md


def summary(grade: Grade) -> str:
    """The Markdown summary: a headline, a table of katas, and how the grade was made."""
    solved = sum(result.status == "pass" for result in grade.katas)
    lines = [
        f"## Dojo grade: {grade.score}/{grade.max_score} "
        f"({solved} of {len(grade.katas)} katas solved)",
        "",
    ]
    if grade.problem:
        lines += [f"**The grader failed:** {_md(grade.problem, 400)}", ""]
    lines += ["| Kata | Result | Score | First failure |", "|---|---|---|---|"]
    for result in grade.katas:
        title = f"{result.kata.number:02d} {_md(result.kata.title, 60)}"
        status = STATUS_WORDS.get(result.status, result.status)
        lines.append(
            f"| {title} | {status} | {result.score}/{result.max_score} | "
            f"{_md(result.message, 120)} |"
        )
    lines.append(f"| **Total** | | **{grade.score}/{grade.max_score}** | |")
    lines += [
        "",
        f"Tests from commit `{grade.source.commit[:12]}` ({_md(grade.source.ref, 60)}), "
        f"random seed {grade.seed}; {SCORING}.",
    ]
    if grade.changed_files:
        shown = ", ".join(f"`{_md(path, 100)}` ({change})" for path, change in
                          grade.changed_files[:20])  # fmt: skip
        more = len(grade.changed_files) - 20
        lines += [
            "",
            f"Protected files this submission changed (not used: the trusted copies ran): "
            f"{shown}{f' and {more} more' if more > 0 else ''}.",
        ]
    return "\n".join(lines) + "\n"


def _md(text: str, limit: int) -> str:
    """Learner text made safe for one table cell: one line, short, no markup."""
    printable = "".join(char if char.isprintable() else " " for char in text)
    line = _cut(" ".join(printable.split()), limit)
    for char, escaped in (("<", "&lt;"), ("|", "\\|"), ("`", "'")):  # no HTML, no new cell
        line = line.replace(char, escaped)
    return line


def print_summary(grade: Grade) -> None:
    sys.stdout.write(summary(grade))
    sys.stdout.flush()
