"""Grade a submission: each kata's learner files against the course's own tests.

Tests, harness and pytest config come from the trusted copy (``dojo.grading.trusted``); from the
submission, only the files each kata.toml names as the learner's. The expected test IDs are
collected first, from the trusted tests run against the trusted solutions. Then each kata
runs in a pytest process of its own, in a fresh copy, with the grader's guard loaded first
(``dojo.grading.guard``), a per-test timeout and an outer time limit that kills the process. A
test passes only when pytest's report log and the guard's log both saw every phase of it
pass; a test that did not report is an error, never a pass.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from dojo.course.catalog import REPO_ROOT, Kata, KataConfigError, kata_dirs, load_kata
from dojo.course.testrun import SKIPPED, TestRun, run_pytest
from dojo.errors import DojoError
from dojo.grading.gradelogs import GuardLog, first_line
from dojo.grading.trusted import REFERENCE_DIRS, Submission, TrustedSource, likeness
from dojo.grading.verdict import Judge, KataResult, combined, unlocate
from dojo.harness.servermode import SKIP_PREFIX
from dojo.server.sandbox import Sandbox, find

GUARD_FILE = Path(__file__).with_name("guard.py")
GUARD_MODULE = "dojo_grade_guard"
PLUGIN_MODULE = "dojo.harness.plugin"
KATA_TIME_LIMIT = 60.0
# The whole grade's deadline: below grade.yml's 30-minute job limit, with room for its setup,
# so the workflow always gets to upload a grade that says which katas the deadline cut.
DEADLINE = 20 * 60.0
# A kata that would have less time than this before the deadline is not started.
MIN_KATA_TIME = 5.0
DEADLINE_PASSED = (
    "Not graded: the grade's deadline of {deadline:g} s came before this kata's turn "
    "(the katas before it took that long; a hanging view costs a kata its time limit)."
)
# Collecting every kata's tests runs no test; this only bounds a broken collection.
COLLECT_TIME_LIMIT = 120.0
# The graded process gets none of these: they could change pytest or reach CI's secrets.
UNSET_NAMES = (
    "PYTEST_ADDOPTS",
    "PYTEST_PLUGINS",
    "PYTEST_DISABLE_PLUGIN_AUTOLOAD",
    "PYTEST_DEBUG",
    "PYTHONSTARTUP",
    "PYTHONINSPECT",
    "PYTHONSAFEPATH",
    "DJANGO_SETTINGS_MODULE",
    "DOJO_ROOT",
)
UNSET_PREFIXES = ("GITHUB_", "ACTIONS_", "RUNNER_")
# Any proxy-aware client fails at once instead of reaching out (the guard blocks the rest).
NO_NETWORK = {name: "http://127.0.0.1:9" for name in ("http_proxy", "https_proxy", "all_proxy")}


@dataclass(frozen=True)
class GradeOptions:
    """What to grade, against which commit, and the limits."""

    submission: Path
    repo: Path = REPO_ROOT
    ref: str = "HEAD"
    kata: str | None = None
    seed: int | None = None
    kata_time_limit: float = KATA_TIME_LIMIT
    test_time_limit: float | None = None
    jobs: int = 1
    deadline: float = DEADLINE
    # Why the tests cannot be trusted (they came from the submission itself), or None.
    untrusted: str | None = None
    # Where graded code runs: None finds the best sandbox this machine offers.
    sandbox: Sandbox | None = None


@dataclass
class Grade:
    """The whole grade: every kata graded, and what the grader knows about the run."""

    katas: list[KataResult]
    source: TrustedSource
    submission: Submission
    seed: int
    changed_files: list[tuple[str, str]]
    options: GradeOptions
    started_at: float
    duration: float = 0.0
    problem: str | None = None
    # How many katas this grade grades; fewer in ``katas`` while it is still under way.
    planned: int = 0
    # Where the graded code ran.
    sandbox: Sandbox = field(default_factory=lambda: Sandbox("none", why="not graded yet"))

    @property
    def score(self) -> int:
        return sum(result.score for result in self.katas)

    @property
    def max_score(self) -> int:
        return sum(result.max_score for result in self.katas)

    @property
    def finished(self) -> bool:
        return len(self.katas) >= self.planned

    @property
    def message(self) -> str | None:
        """Why the grade is not one to take as it is: the grader failed, or is not done."""
        if self.problem:
            return self.problem
        if not self.finished:
            return (
                f"The grade is not finished: {len(self.katas)} of {self.planned} katas graded "
                "so far. If grading stopped here, the katas missing from it were never graded."
            )
        return None

    @property
    def status(self) -> str:
        if self.message:
            return "error"
        return "pass" if all(result.status == "pass" for result in self.katas) else "fail"


def grade(
    options: GradeOptions, on_kata: Callable[[Grade, KataResult], None] | None = None
) -> Grade:
    """Grade ``options.submission``; bad input or an unusable trusted copy raise DojoError.
    ``on_kata`` is called with the grade so far and the kata just graded, after each kata."""
    started = time.time()
    submission = Submission.at(options.submission)
    source = TrustedSource.from_git(options.repo.resolve(), options.ref)
    seed = options.seed if options.seed is not None else secrets.randbelow(1_000_000)
    with tempfile.TemporaryDirectory(prefix="dojo-grade-") as scratch:
        work = Path(scratch)
        catalog = source.extract(work / "catalog")
        every_kata, broken = _load_katas(catalog)
        katas = select(every_kata, options.kata)
        learner = {f"katas/{kata.name}/{name}" for kata in every_kata for name in kata.files}
        trusted_files = source.files()
        changed = submission.changes(trusted_files, learner)
        sandbox = options.sandbox or find()
        result = Grade([], source, submission, seed, changed, options, started,
                       planned=len(katas), sandbox=sandbox)  # fmt: skip
        (work / "guard").mkdir()
        shutil.copy(GUARD_FILE, work / "guard" / f"{GUARD_MODULE}.py")
        runner = _KataRunner(options, source, submission, seed, work, catalog, sandbox)
        runner.unusable.update(broken)
        runner.collect([kata for kata in katas if kata.name not in broken])
        done = threading.Lock()

        def graded(kata: Kata) -> None:
            kata_result = runner.grade(kata, time_left=started + options.deadline - time.time())
            kata_result.likeness = _likeness(submission, kata, trusted_files)
            with done:
                result.katas.append(kata_result)
                result.katas.sort(key=lambda graded_kata: graded_kata.kata.number)
                result.duration = time.time() - started
                if on_kata is not None:
                    on_kata(result, kata_result)

        with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
            list(pool.map(graded, katas))
        result.problem = runner.problem or next(iter(broken.values()), None)
    result.duration = time.time() - started
    return result


def _likeness(submission: Submission, kata: Kata, trusted: dict[str, bytes]) -> float | None:
    """The least alike of the kata's learner files and their reference fixes, or None when
    a file or its reference is missing."""
    scores = []
    for name in kata.files:
        reference = trusted.get(f"solutions/{kata.name}/{name}")
        path = submission.katas_dir / kata.name / name
        if reference is None or path.is_symlink() or not path.is_file():
            return None
        scores.append(likeness(path.read_bytes(), reference))
    return min(scores, default=None)


def select(katas: list[Kata], selector: str | None) -> list[Kata]:
    """Every kata, or the one numbered ``selector``; a DojoError lists the valid numbers."""
    if selector is None or not selector.strip():
        return katas
    valid = ", ".join(str(kata.number) for kata in katas) or "none"
    text = selector.strip()
    chosen = [kata for kata in katas if text.isdigit() and kata.number == int(text)]
    if not chosen:
        raise DojoError(f"KATA={text}: there is no such kata; the katas are {valid}.")
    return chosen


def _load_katas(catalog: Path) -> tuple[list[Kata], dict[str, str]]:
    """Every kata of the trusted copy; one whose kata.toml is broken cannot be graded."""
    katas: list[Kata] = []
    broken: dict[str, str] = {}
    for path in kata_dirs(catalog):
        try:
            katas.append(load_kata(path))
        except KataConfigError as error:
            where = str(error).replace(f"{catalog}{os.sep}", "")
            broken[path.name] = f"The trusted copy's kata is broken, so it was not graded: {where}"
            number, slug = path.name.split("_", 1)
            katas.append(Kata(int(number), slug, path, path.name, 1, (), (), (), ()))
    return katas, broken


class _KataRunner:
    """Runs each kata's tests in a fresh trusted copy, and judges what they reported."""

    def __init__(
        self,
        options: GradeOptions,
        source: TrustedSource,
        submission: Submission,
        seed: int,
        work: Path,
        catalog: Path,
        sandbox: Sandbox,
    ) -> None:
        self.options = options
        self.sandbox = sandbox
        self.source = source
        self.submission = submission
        self.seed = seed
        self.work = work
        self.catalog = catalog
        self.judge = Judge(catalog, options.kata_time_limit)
        self.expected: dict[str, list[str]] = {}
        self.unusable: dict[str, str] = {}
        self.problem: str | None = None

    def collect(self, katas: list[Kata]) -> None:
        """The test IDs each kata must report, from the trusted tests and solutions."""
        if not katas:
            return
        log = self.work / "collect.guard.jsonl"
        run = self._pytest(
            self.catalog, self.catalog / "solutions", log, "--collect-only",
            *(f"katas/{kata.name}" for kata in katas),
            timeout=COLLECT_TIME_LIMIT,
        )  # fmt: skip
        guard = GuardLog.read(log)
        for kata in katas:
            prefix = f"katas/{kata.name}/"
            self.expected[kata.name] = [n for n in guard.collected if n.startswith(prefix)]
            error = run.collection_error_in(f"katas/{kata.name}")
            if error or not self.expected[kata.name]:
                why = first_line(error) if error else first_line(run.output[-2000:], last=True)
                self.unusable[kata.name] = (
                    f"The course's own tests for {kata.name} could not be collected from "
                    f"the trusted copy, so it was not graded: {why or 'no tests found'}"
                )
                self.problem = self.unusable[kata.name]

    def grade(self, kata: Kata, time_left: float) -> KataResult:
        started = time.monotonic()
        expected = self.expected.get(kata.name, [])
        if kata.name in self.unusable:
            return self.judge.errored(kata, expected, self.unusable[kata.name])
        if time_left < MIN_KATA_TIME:
            result = self.judge.errored(kata, expected, DEADLINE_PASSED.format(
                deadline=self.options.deadline))  # fmt: skip
            result.status = "timeout"
            return result
        # Named by number: a path holding the kata's name is the kata's own folder to its tests.
        folder = self.work / f"kata-{kata.number:02d}"
        try:
            # Named katas/, so the harness names a learner file as katas/<kata>/views.py.
            learner = folder / "learner" / "katas"
            problem = self.submission.stage(kata, learner)
            if problem:
                return self.judge.errored(kata, expected, problem)
            # The graded code runs beside the trusted tests, never beside a reference fix.
            root = self.source.extract(folder / "trusted", without=REFERENCE_DIRS)
            (root / "build").mkdir(exist_ok=True)
            result = self._judged(kata, expected, root, learner, folder, time_left)
            unlocate(result, {f"{learner.parent}{os.sep}": "", f"{root}{os.sep}": ""})
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        result.duration = time.monotonic() - started
        return result

    def _judged(
        self, kata: Kata, expected: list[str], root: Path, learner: Path, folder: Path,
        time_left: float,
    ) -> KataResult:  # fmt: skip
        """Served first: the trusted tests run here, out of the learner's reach, against the
        kata on a worker in the sandbox. The tests that can only be judged in-process run
        then in the sandbox, the whole pytest with them; the kata passes only if both do."""
        deadline = time.monotonic() + min(self.options.kata_time_limit, time_left)
        runs: list[tuple[list[str], TestRun, GuardLog]] = []
        if self.sandbox.available:
            shared = folder / "shared"
            # The tests' database lies in their temporary folder: the worker must reach it.
            (shared / "tmp").mkdir(parents=True)
            log = folder / "served.guard.jsonl"
            run = self._pytest(
                root, learner, log, f"katas/{kata.name}", "--server",
                f"--dojo-sandbox-worker={shared}",
                timeout=deadline - time.monotonic(), finished=lambda: _session_over(log),
                tmpdir=shared / "tmp",
            )  # fmt: skip
            if run.returncode == 4 and not run.outcomes:  # a usage error: the grader's own
                self.problem = f"pytest refused the grader's command: {first_line(run.output)}"
                return self.judge.errored(kata, expected, self.problem)
            inside = [test for test in expected if _not_served(run, test)]
            runs.append(
                ([test for test in expected if test not in inside], run, GuardLog.read(log))
            )
        else:
            inside = expected
        if inside:
            log = folder / "guard.jsonl"
            run = self._pytest(
                root, learner, log, *inside, timeout=max(deadline - time.monotonic(), 1.0),
                finished=lambda: _session_over(log), sandboxed_in=folder,
            )  # fmt: skip
            if run.returncode == 4 and not run.outcomes:
                self.problem = f"pytest refused the grader's command: {first_line(run.output)}"
                return self.judge.errored(kata, expected, self.problem)
            runs.append((inside, run, GuardLog.read(log)))
        results = [self.judge.judge(kata, tests, run, guard) for tests, run, guard in runs]
        result = combined(kata, expected, results)
        result.judged_inside = inside if self.sandbox.available else []
        return result

    def _pytest(
        self,
        root: Path,
        target: Path,
        log: Path,
        *args: str,
        timeout: float,
        finished: Callable[[], bool] | None = None,
        sandboxed_in: Path | None = None,
        tmpdir: Path | None = None,
    ) -> TestRun:
        """pytest on the trusted copy at ``root`` with the learner files at ``target``; with
        ``sandboxed_in``, inside the sandbox, writing only to that folder."""
        plugins = ["-p", GUARD_MODULE, "-p", PLUGIN_MODULE]
        for conftest in ("conftest.py", "katas/conftest.py"):
            if (root / conftest).is_file():  # trusted, so loaded on purpose despite --noconftest
                plugins += ["-p", conftest.removesuffix(".py").replace("/", ".")]
        limit = self.options.test_time_limit
        command = [
            "-c", str(root / "pyproject.toml"), "--rootdir", str(root), "--noconftest",
            *plugins, "-p", "no:cacheprovider", "-q", "--tb=short", "--color=no",
            *(["-o", f"timeout={limit:g}"] if limit else []),
            f"--target={target}", f"--dojo-seed={self.seed}", *args,
        ]  # fmt: skip
        env = {
            # In a sandbox there is no network to reach; the proxies would only lead the
            # view's own clients (trust_env) away from the in-process fake.
            **(NO_NETWORK if not self.sandbox.available else {}),
            "PYTHONPATH": os.pathsep.join([str(root), str(self.work / "guard")]),
            "DOJO_GUARD_LOG": str(log),
            "DOJO_GUARD_TARGET": str(target.resolve()),
            **({"TMPDIR": str(tmpdir)} if tmpdir else {}),
        }
        unset = [*UNSET_NAMES, *(name for name in os.environ if name.startswith(UNSET_PREFIXES))]
        if sandboxed_in is None:
            return run_pytest(
                command, cwd=root, timeout=timeout, env=env, unset_env=unset, finished=finished
            )
        return run_pytest(
            command, cwd=root, timeout=timeout, env=env, finished=finished,
            sandbox=self.sandbox, readable=[self.work / "guard"], writable=[sandboxed_in],
        )  # fmt: skip


def _not_served(run: TestRun, nodeid: str) -> bool:
    """The served run skipped ``nodeid``: server mode cannot judge it (see dojo.harness.servermode)."""
    outcome = run.outcomes.get(nodeid)
    return outcome is not None and outcome.outcome == SKIPPED and SKIP_PREFIX in outcome.message


def _session_over(guard_log: Path) -> bool:
    """The guard logged the end of the pytest session (its last line)."""
    try:
        with guard_log.open("rb") as log:
            log.seek(max(0, log.seek(0, os.SEEK_END) - 4096))
            return b'"event": "finished"' in log.read()
    except OSError:
        return False
