"""What grading trusts, and what it takes from a submission.

The trusted copy is the course's own committed files at a given ref (``git archive``), kept
in memory and unpacked afresh for every kata, so nothing one kata's code writes to disk can
change another kata's tests. From a submission only the files each kata.toml names as the
learner's are taken; every other file it changed is reported, never used.
"""

from __future__ import annotations

import ast
import difflib
import io
import os
import re
import subprocess
import tarfile
import tokenize
from dataclasses import dataclass
from pathlib import Path

from dojo.course.catalog import Kata
from dojo.errors import DojoError

# A learner file larger than this is not a view someone wrote by hand.
LEARNER_FILE_LIMIT = 1_000_000
# Folders of a checkout that hold tools, caches and output, not the course.
IGNORED_DIRS = {
    ".git",
    ".venv",
    "venv",
    "build",
    "node_modules",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".dojo-backups",
}
# New files of these kinds could change a test run if they were used: a submission's are
# reported (and, like every other file that is not the learner's, never used).
RUN_SUFFIXES = {".py", ".pth", ".ini", ".cfg", ".toml"}
# What a graded run never sees: the reference fixes and the other fixes on file.
REFERENCE_DIRS = ("solutions/", "tests/")
# A learner file that names the reference's folder, as a module or in a path.
_REFERENCE_NAME = re.compile(r"(?:^|[/\\.])(?:solutions|tests[/\\.]fixes)(?:[/\\.]|$)")
# How alike a learner file and the reference may be, code tokens compared, before the
# instructor is told: a one-line fix lands close to the reference by nature, so this only
# informs, it never costs a point.
NEAR_REFERENCE = 0.97


@dataclass(frozen=True)
class TrustedSource:
    """Every committed file of ``repo`` at ``commit``, as a tar archive held in memory."""

    repo: Path
    ref: str
    commit: str
    archive: bytes

    @classmethod
    def from_git(cls, repo: Path, ref: str) -> TrustedSource:
        """Read ``ref`` of the git repository ``repo``; a DojoError says what is wrong."""
        if not (repo / ".git").exists() and _git(repo, "rev-parse", "--git-dir").returncode:
            raise DojoError(f"{repo} is not a git repository; name the dojo's own with REPO=.")
        found = _git(
            repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"
        )
        if ref.startswith("-") or found.returncode != 0:
            raise DojoError(f"REF={ref}: no such commit in {repo}.")
        commit = found.stdout.decode().strip()
        archive = _git(repo, "archive", "--format=tar", commit)
        if archive.returncode != 0:
            reason = archive.stderr.decode(errors="replace").strip()
            raise DojoError(f"git archive {commit} failed in {repo}: {reason}")
        return cls(repo, ref, commit, archive.stdout)

    def extract(self, into: Path, *, without: tuple[str, ...] = ()) -> Path:
        """Unpack every committed file into ``into`` (created), but those under the folders
        ``without`` names (``"solutions/"``), and return it."""
        into.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=io.BytesIO(self.archive)) as tar:
            members = [m for m in tar if not m.name.startswith(without)]
            tar.extractall(into, members=members, filter="data")
        return into

    def files(self) -> dict[str, bytes]:
        """Every committed regular file: its path (with ``/``) and its content."""
        contents: dict[str, bytes] = {}
        with tarfile.open(fileobj=io.BytesIO(self.archive)) as tar:
            for member in tar:
                data = tar.extractfile(member) if member.isfile() else None
                if data is not None:
                    contents[member.name] = data.read()
        return contents


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    # The grader may run as root over a checkout another user owns (the grade workflow does,
    # so that graded code can run as a user of its own): reading its commits is safe.
    command = ["git", "-c", f"safe.directory={repo}", "-C", str(repo), *args]
    try:
        return subprocess.run(command, capture_output=True, check=False, timeout=120)
    except FileNotFoundError:
        raise DojoError("git is not installed; grading reads the trusted tests with it.") from None


@dataclass(frozen=True)
class Submission:
    """A learner's work: a checkout of the dojo, or a folder laid out like ``katas/``."""

    path: Path

    @classmethod
    def at(cls, path: Path) -> Submission:
        if not path.is_dir():
            raise DojoError(f"SUBMISSION={path}: no such folder.")
        return cls(path.resolve())

    @property
    def is_checkout(self) -> bool:
        return (self.path / "katas").is_dir()

    @property
    def katas_dir(self) -> Path:
        return self.path / "katas" if self.is_checkout else self.path

    def shown(self, kata: Kata, name: str) -> str:
        """How a learner file is named in messages: ``katas/04_missing_await/views.py``."""
        return f"katas/{kata.name}/{name}"

    def stage(self, kata: Kata, target: Path) -> str | None:
        """Copy the kata's learner files into ``target/<kata>/``; or say why they cannot run."""
        for name in kata.files:
            source = self.katas_dir / kata.name / name
            shown = self.shown(kata, name)
            link = self._link_on_the_way(source)
            if link is not None:
                return (
                    f"{shown} was not graded: {link} is a symbolic link. Grading takes the "
                    "file you wrote itself; commit the code, not a link to it."
                )
            if not source.is_file():
                return f"{shown} is not in the submission."
            if source.stat().st_size > LEARNER_FILE_LIMIT:
                return f"{shown} is larger than {LEARNER_FILE_LIMIT // 1000} kB; it was not run."
            code = source.read_bytes()
            problem = syntax_problem(code, shown) or reference_reach(code, shown)
            if problem:
                return problem
            (target / kata.name).mkdir(parents=True, exist_ok=True)
            (target / kata.name / name).write_bytes(code)
        return None

    def _link_on_the_way(self, source: Path) -> str | None:
        """The first symbolic link from the submission's root down to ``source``, shown."""
        relative = source.relative_to(self.path)
        for depth in range(1, len(relative.parts) + 1):
            if (self.path / Path(*relative.parts[:depth])).is_symlink():
                return Path(*relative.parts[:depth]).as_posix()
        return None

    def changes(self, trusted: dict[str, bytes], learner: set[str]) -> list[tuple[str, str]]:
        """The trusted files this submission changed, deleted or added beside: (path, how)."""
        found: dict[str, str] = {}
        if self.is_checkout:
            for path, content in trusted.items():
                if path not in learner:
                    change = _compare(self.path / path, content)
                    if change:
                        found[path] = change
            walked = _walk(self.path, "")
        else:
            kata_dirs = {path.split("/")[1] for path in trusted if path.startswith("katas/")}
            walked = [
                item
                for name in sorted(kata_dirs)
                for item in _walk(self.path / name, f"katas/{name}/")
            ]
        for path, file in walked:
            if path in learner or path in found:
                continue
            if path in trusted:
                change = _compare(file, trusted[path])
                if change:
                    found[path] = change
            elif Path(path).suffix in RUN_SUFFIXES or Path(path).name == "conftest.py":
                found[path] = "added"
        return sorted((shown_path(path), change) for path, change in found.items())


def syntax_problem(code: bytes, shown: str) -> str | None:
    """The syntax error in ``code``, said in one line with its place, or None."""
    try:
        compile(code, shown, "exec", dont_inherit=True)
    except SyntaxError as error:
        where = f"{shown}, line {error.lineno}" if error.lineno else shown
        source = f": {error.text.strip()}" if error.text and error.text.strip() else ""
        return f"{where}: {error.msg} (a syntax error){source}"
    except (ValueError, RecursionError, MemoryError) as error:
        return f"{shown} cannot be compiled: {error}"
    return None


def reference_reach(code: bytes, shown: str) -> str | None:
    """Where ``code`` reaches for the reference fixes (an import of ``solutions``, or a
    string naming its folder), said in one line; or None."""
    for node in ast.walk(ast.parse(code, shown)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str | bytes):
            text = node.value if isinstance(node.value, str) else node.value.decode("latin-1")
            names = [text]
        else:
            continue
        if any(_REFERENCE_NAME.search(name) or name == "solutions" for name in names):
            return (
                f"{shown}, line {node.lineno}: reaches for the reference fixes "
                f"({ast.get_source_segment(code.decode('utf-8', 'replace'), node) or names[0]}). "
                "A graded file must stand on its own; it was not run."
            )
    return None


def likeness(learner: bytes, reference: bytes) -> float:
    """How alike two Python files are, 0 to 1, by their code tokens: comments, docstrings
    aside, layout and blank lines do not count."""
    return difflib.SequenceMatcher(None, _code_tokens(learner), _code_tokens(reference)).ratio()


def _code_tokens(code: bytes) -> list[str]:
    skipped = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
               tokenize.DEDENT, tokenize.ENCODING, tokenize.ENDMARKER}  # fmt: skip
    try:
        tokens = list(tokenize.tokenize(io.BytesIO(code).readline))
    except (tokenize.TokenError, SyntaxError):
        return code.decode("utf-8", "replace").split()
    kept: list[str] = []
    for token in tokens:
        if token.type in skipped:
            continue
        # A string alone on its line is a docstring: it says nothing about the code.
        if token.type == tokenize.STRING and token.line.strip() == token.string.strip():
            continue
        kept.append(token.string)
    return kept


def shown_path(path: str) -> str:
    """A file name as it can be written anywhere: bytes that are not UTF-8 become U+FFFD."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _compare(path: Path, content: bytes) -> str | None:
    if not path.exists():
        return "deleted"
    if not path.is_file() or path.stat().st_size > 2 * len(content) + 100_000:
        return "changed"
    if _normalized(path.read_bytes()) != _normalized(content):
        return "changed"
    return None


def _normalized(content: bytes) -> bytes:
    # A Windows checkout turns every line ending into CRLF; that is no change.
    return content.replace(b"\r\n", b"\n")


def _walk(root: Path, prefix: str) -> list[tuple[str, Path]]:
    """Every file under ``root`` outside IGNORED_DIRS: (prefix + relative path, path)."""
    found: list[tuple[str, Path]] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in IGNORED_DIRS and not d.endswith(".egg-info"))
        relative = Path(folder).relative_to(root)
        for name in sorted(files):
            path = (relative / name).as_posix()
            found.append((prefix + path, Path(folder) / name))
    return found
