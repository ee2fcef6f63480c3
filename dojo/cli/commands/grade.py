"""Grade the learner files of a checkout (or of SUBMISSION) against the course's own tests.

Tests, harness and pytest config come from a commit of the dojo's repository (REF, by
default HEAD), never from the submission; only the files each kata.toml names as the
learner's are taken from it. Writes results.json, junit.xml and summary.md to build/grade/
and prints the summary.

Exit 0 when grading ran, whatever the score; with --strict, 1 unless every kata passes;
2 when the input is wrong or the grader itself failed.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from dojo.course.catalog import REPO_ROOT
from dojo.errors import DojoError
from dojo.grading.grade import DEADLINE, KATA_TIME_LIMIT, Grade, GradeOptions, grade
from dojo.grading.gradeout import (
    STATUS_WORDS,
    append_step_summary,
    print_summary,
    write_all,
    write_error,
)
from dojo.grading.verdict import KataResult
from dojo.server import sandbox

HELP = "grade a checkout against the trusted tests: SUBMISSION=path KATA=4 STRICT=1"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--submission",
        type=Path,
        default=REPO_ROOT,
        help="a checkout of the dojo, or a folder laid out like katas/ (default: this one)",
    )
    parser.add_argument("--kata", help="grade one kata, by number (default: every kata)")
    parser.add_argument(
        "--strict",
        nargs="?",
        const="1",
        default="0",
        type=_yes_or_no,
        help="exit 1 unless every graded kata passes, and refuse an untrusted grade: "
        "1/true/yes/on or 0/false/no/off, in any case (bare --strict: on)",
    )
    parser.add_argument(
        "--ref", default="HEAD", help="the commit whose tests and harness are trusted (HEAD)"
    )
    parser.add_argument(
        "--repo",
        type=Path,
        default=REPO_ROOT,
        help="the git repository holding REF (default: this checkout)",
    )
    parser.add_argument(
        "--out", type=Path, default=REPO_ROOT / "build" / "grade", help="where to write"
    )
    parser.add_argument(
        "--seed", type=int, help="seed of the random upstream payloads (default: a new one)"
    )
    parser.add_argument(
        "--kata-time-limit",
        type=float,
        default=KATA_TIME_LIMIT,
        help=f"seconds before a kata's test process is killed ({KATA_TIME_LIMIT:g})",
    )
    parser.add_argument(
        "--test-time-limit",
        type=float,
        help="seconds one test may take (default: the trusted pytest config's timeout)",
    )
    parser.add_argument(
        "--jobs", type=int, default=1, help="katas graded at the same time (default 1)"
    )
    parser.add_argument(
        "--deadline",
        type=float,
        default=DEADLINE,
        help=f"seconds the whole grade may take; later katas are marked, not run ({DEADLINE:g})",
    )
    parser.add_argument(
        "--untrusted",
        metavar="WHY",
        help="the tests come from the submission itself, not the course: say why; the grade "
        "is marked untrusted, and --strict fails it",
    )


_YES = {"1", "true", "yes", "on"}
_NO = {"0", "false", "no", "off", ""}


def _yes_or_no(text: str) -> bool:
    word = text.strip().lower()
    if word in _YES | _NO:
        return word in _YES
    raise argparse.ArgumentTypeError(
        f"STRICT={text!r} is neither yes nor no: use 1, true, yes or on to grade strictly, "
        "0, false, no or off not to"
    )


def main(args: argparse.Namespace) -> int:
    options = GradeOptions(
        submission=args.submission,
        repo=args.repo,
        ref=args.ref,
        kata=args.kata,
        seed=args.seed,
        kata_time_limit=args.kata_time_limit,
        test_time_limit=args.test_time_limit,
        jobs=args.jobs,
        deadline=args.deadline,
        untrusted=args.untrusted,
        sandbox=sandbox.find(),
    )
    assert options.sandbox is not None
    if args.strict and not options.sandbox.available:
        write_error(
            args.out, f"Not graded, because STRICT asks for a sandbox: {options.sandbox.why}"
        )
        raise DojoError(
            f"STRICT refuses to grade without a sandbox: {options.sandbox.why} "
            "(the grade workflow installs it)."
        )
    if args.untrusted and args.strict:
        write_error(
            args.out, f"Not graded, because STRICT asks for a trusted grade: {args.untrusted}"
        )
        raise DojoError(
            f"STRICT refuses an untrusted grade: {args.untrusted} Name the course's commit "
            "(REF=, or the DOJO_COURSE_REF variable in the grade workflow)."
        )
    try:
        result = grade(options, on_kata=lambda so_far, kata: _progress(so_far, kata, args.out))
        paths = write_all(result, args.out)
        append_step_summary(result)
    except DojoError as error:
        write_error(args.out, str(error))
        raise
    except KeyboardInterrupt:
        write_error(args.out, "Grading was interrupted (Ctrl-C) before it finished.")
        raise
    except Exception as error:  # a bug of the grader's: say so, and exit 2 rather than 1
        traceback.print_exc()
        problem = f"the grader failed: {type(error).__name__}: {error}"
        write_error(args.out, problem[0].upper() + problem[1:])
        print(f"dojo: {problem}", file=sys.stderr)
        return 2
    print()
    print_summary(result)
    print(f"\nWritten: {', '.join(str(path) for path in paths.values())}")
    if result.problem:
        print(f"dojo: the grader failed: {result.problem}", file=sys.stderr)
        return 2
    if args.strict and result.status != "pass":
        return 1
    return 0


def _progress(so_far: Grade, result: KataResult, out: Path) -> None:
    """One line for the kata just graded, and the grade so far written out, so a grade cut
    short by a CI limit still holds every kata it finished."""
    passed = sum(test.status == "pass" for test in result.tests)
    print(
        f"  {result.kata.name:<36} {STATUS_WORDS.get(result.status, result.status):<12} "
        f"{passed}/{len(result.tests)} tests  {result.duration:5.1f} s",
        flush=True,
    )
    write_all(so_far, out)
