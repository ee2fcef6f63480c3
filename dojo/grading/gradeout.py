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

from dojo.grading.grade import Grade
from dojo.grading.gradelogs import first_line
from dojo.grading.trusted import NEAR_REFERENCE
from dojo.grading.verdict import KataResult

RESULTS_VERSION = 3
# Exercism's limit for a test's output.
OUTPUT_LIMIT = 500
MESSAGE_LIMIT = 10_000
SCORING = "one point per kata whose tests all pass"
STATUS_WORDS = {"pass": "✔ pass", "fail": "✘ fail", "error": "✘ error", "timeout": "✘ timed out"}
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def write_all(grade: Grade, out: Path) -> dict[str, Path]:
    """Write results.json, junit.xml and summary.md into ``out``; their paths by name.

    Each file is written beside its place and then renamed into it, so a reader (or a grade
    cut off by a CI limit) only ever finds a whole file, the last one written."""
    out.mkdir(parents=True, exist_ok=True)
    contents = {
        "results.json": (json.dumps(results(grade), indent=2, ensure_ascii=False) + "\n").encode(),
        "junit.xml": junit_xml(grade),
        "summary.md": summary(grade).encode(),
    }
    paths = {}
    for name, content in contents.items():
        paths[name] = out / name
        partial = out / f".{name}.partial"
        partial.write_bytes(content)
        os.replace(partial, paths[name])
    return paths


def write_error(out: Path, message: str) -> Path:
    """A valid results.json that says the grader failed, and why: for a failure so early or
    so deep that no grade exists to write."""
    out.mkdir(parents=True, exist_ok=True)
    document = {"version": RESULTS_VERSION, "status": "error", "message": message,
                "score": 0, "max_score": 0, "tests": [], "katas": [], "grader": None}  # fmt: skip
    path = out / "results.json"
    partial = out / ".results.json.partial"
    partial.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(partial, path)
    return path


def append_step_summary(grade: Grade) -> None:
    """Append the summary to $GITHUB_STEP_SUMMARY when CI set it."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as step_summary:
            step_summary.write(summary(grade) + "\n")


# ---------------------------------------------------------------- results.json


def results(grade: Grade) -> dict[str, Any]:
    """The grade as a results.json document (see dojo/grading/schemas/results.schema.json)."""
    return {
        "version": RESULTS_VERSION,
        "status": grade.status,
        "message": grade.message,
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
            "trusted": grade.options.untrusted is None,
            "untrusted_reason": grade.options.untrusted,
            "seed": grade.seed,
            "changed_protected_files": [
                {"path": path, "change": change} for path, change in grade.changed_files
            ],
            "submission": str(grade.submission.path),
            "kata_time_limit": grade.options.kata_time_limit,
            "deadline": grade.options.deadline,
            "sandbox": grade.sandbox.kind,
            "sandbox_detail": grade.sandbox.describe(),
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
        "reference_likeness": None if result.likeness is None else round(result.likeness, 3),
        "flag": _flag(result),
        "judged_inside": [test.rsplit("::", 1)[-1] for test in result.judged_inside],
    }


def _flag(result: KataResult) -> str | None:
    """What the instructor should look at in this kata: a copy of the reference."""
    if result.likeness is None or result.likeness < NEAR_REFERENCE:
        return None
    if result.likeness == 1.0:
        return "the same code as the reference fix"
    return f"nearly the reference fix ({result.likeness:.0%} of its code alike)"


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
    if grade.options.untrusted:
        lines += [
            f"**Not a trusted grade:** {_md(grade.options.untrusted, 400)}",
            "",
        ]
    if not grade.sandbox.available:
        lines += [
            f"**No sandbox:** the learner's code ran with the grader's own rights "
            f"({_md(grade.sandbox.why or '', 200)}).",
            "",
        ]
    if grade.problem:
        lines += [f"**The grader failed:** {_md(grade.problem, 400)}", ""]
    elif grade.message:
        lines += [f"**{_md(grade.message, 400)}**", ""]
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
    flagged = [(result, _flag(result)) for result in grade.katas if _flag(result)]
    if flagged:
        shown = "; ".join(f"{result.kata.number:02d}: {flag}" for result, flag in flagged)
        lines += ["", f"For the instructor, learner files alike to the reference: {shown}."]
    inside = [result for result in grade.katas if result.judged_inside and result.score]
    if inside:
        shown = ", ".join(
            f"{result.kata.number:02d} ({len(result.judged_inside)} "
            f"test{'s' if len(result.judged_inside) > 1 else ''})"
            for result in inside
        )
        lines += [
            "",
            "For the instructor, points that rest partly on tests run inside the learner's own "
            "process (the kata says they can only be judged there; code that means to can "
            f"forge what that process reports): {shown}.",
        ]
    if grade.changed_files:
        shown = ", ".join(f"{_md(path, 100)} ({change})" for path, change in
                          grade.changed_files[:20])  # fmt: skip
        more = len(grade.changed_files) - 20
        lines += [
            "",
            f"Protected files this submission changed (not used: the trusted copies ran): "
            f"{shown}{f' and {more} more' if more > 0 else ''}.",
        ]
    return "\n".join(lines) + "\n"


def _md(text: str, limit: int) -> str:
    """Learner text made safe for one table cell: one line, short, no markup. What could
    start an image, a link, emphasis, code or a new cell is backslash-escaped (CommonMark),
    ``<`` and ``&`` become entities (no HTML), and a zero-width space keeps a bare URL
    from turning into a link; names like ``test_answers_json`` stay readable."""
    printable = "".join(char if char.isprintable() else " " for char in text)
    line = _cut(" ".join(printable.split()), limit)
    line = _MARKUP.sub(_escape_markup, line)
    return _AUTOLINK.sub(lambda match: match.group()[:-1] + "\u200b" + match.group()[-1], line)


# Intraword underscores never make emphasis, so only the others are escaped.
_MARKUP = re.compile(r"[\\`*\[\]!|~<&]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
_AUTOLINK = re.compile(r"://|www\.", re.IGNORECASE)


def _escape_markup(match: re.Match[str]) -> str:
    char = match.group()
    return {"<": "&lt;", "&": "&amp;"}.get(char, "\\" + char)


def print_summary(grade: Grade) -> None:
    sys.stdout.write(summary(grade))
    sys.stdout.flush()
