"""The kata catalog: every folder under ``katas/`` and the metadata in its ``kata.toml``.

A kata folder is named ``NN_slug``. Its ``kata.toml`` holds::

    title = "The missing await"
    level = 1                       # 1 easy, 2 medium, 3 hard
    concepts = ["coroutines", "await"]
    files = ["views.py"]            # what the learner edits
    failing = ["test_..."]          # tests that must fail as shipped
    hints = ["a nudge", "...", "nearly the answer"]
    cheap_http_clients = false      # optional: in the tests, creating an httpx client
                                    # costs what it really costs (default true: dojo.harness.costs)
    [house_rules]                   # optional: a rule this kata turns off, and why
    task_left_running = "the lesson is background work: its tests check the task itself"
    [load]                          # optional: make serve / make load (see dojo.course.scenario)
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dojo.course.scenario import LoadScenario, ScenarioError, parse_scenario
from dojo.errors import DojoError

# DOJO_ROOT points the tools at another checkout (the dojo's own tests use it).
REPO_ROOT = Path(os.environ.get("DOJO_ROOT") or Path(__file__).resolve().parents[2])
KATA_DIR_PATTERN = re.compile(r"^(?P<number>\d{2})_(?P<slug>[a-z][a-z0-9_]*)$")
LEVELS = {1: "easy", 2: "medium", 3: "hard"}
MIN_HINTS = 3
# The house rules every request of every kata test keeps (see dojo.harness.houserules).
HOUSE_RULES = {
    "loop_held": "the event loop is never held for long, at once or in slices",
    "busy_loop": "the event loop is never kept busy waiting",
    "unawaited_coroutine": "every coroutine is awaited",
    "task_left_running": "no task is left running after the response",
    "client_left_open": "every httpx client is closed or kept for reuse",
    "db_connection_left_open": "no database connection is left open in a worker thread",
    "async_view": "the view stays async",
}


class KataConfigError(DojoError):
    """A kata.toml that is missing, unreadable, or has a key of the wrong shape."""


@dataclass(frozen=True)
class Kata:
    """One kata: its folder and the metadata from its kata.toml."""

    number: int
    slug: str
    path: Path
    title: str
    level: int
    concepts: tuple[str, ...]
    files: tuple[str, ...]
    failing: tuple[str, ...]
    hints: tuple[str, ...]
    load: LoadScenario | None = None
    house_rules_off: Mapping[str, str] = field(default_factory=dict)
    cheap_http_clients: bool = True

    @property
    def name(self) -> str:
        """The folder name, such as ``04_missing_await``."""
        return self.path.name

    @property
    def package(self) -> str:
        """The importable package of the kata, such as ``katas.04_missing_await``."""
        return f"{self.path.parent.name}.{self.name}"

    @property
    def urls_module(self) -> str:
        """The kata's URLconf module."""
        return f"{self.package}.urls"

    @property
    def root(self) -> Path:
        """The repository (or grading copy) the kata belongs to."""
        return self.path.parent.parent

    @property
    def solution_path(self) -> Path:
        """The folder holding the reference fix."""
        return self.root / "solutions" / self.name

    @property
    def level_name(self) -> str:
        return LEVELS[self.level]


@dataclass(frozen=True)
class Part:
    """A part of the learning path: a range of kata numbers and what a learner knows after."""

    title: str
    first: int
    last: int
    after: str

    def holds(self, kata: Kata) -> bool:
        return self.first <= kata.number <= self.last


def load_parts(root: Path = REPO_ROOT) -> list[Part]:
    """The parts of the learning path, from katas/parts.toml (none when it is missing)."""
    path = root / "katas" / "parts.toml"
    if not path.is_file():
        return []
    shown = _shown(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise KataConfigError(f"{shown}: not valid TOML ({error}).") from None
    parts = []
    for entry in data.get("part", []):
        config = _Config(shown, entry)
        first, last = config.number("first"), config.number("last")
        parts.append(Part(config.text("title"), first, last, config.text("after")))
    return parts


def kata_dirs(root: Path = REPO_ROOT) -> list[Path]:
    """Every kata folder under ``root/katas``, in curriculum order."""
    katas = root / "katas"
    if not katas.is_dir():
        return []
    return sorted(
        child for child in katas.iterdir() if child.is_dir() and KATA_DIR_PATTERN.match(child.name)
    )


def load_katas(root: Path = REPO_ROOT) -> list[Kata]:
    """Load every kata; the first malformed kata.toml raises KataConfigError."""
    return [load_kata(path) for path in kata_dirs(root)]


def load_kata(path: Path) -> Kata:
    """Load the kata in ``path``, checking every key of its kata.toml."""
    match = KATA_DIR_PATTERN.match(path.name)
    if match is None:
        raise KataConfigError(
            f"{path.name}: a kata folder is named NN_slug, like 04_missing_await."
        )
    config_file = path / "kata.toml"
    shown = _shown(config_file)
    try:
        data = tomllib.loads(config_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KataConfigError(f"{shown}: the file is missing.") from None
    except tomllib.TOMLDecodeError as error:
        raise KataConfigError(f"{shown}: not valid TOML ({error}).") from None
    config = _Config(shown, data)
    kata = Kata(
        number=int(match["number"]),
        slug=match["slug"],
        path=path,
        title=config.text("title"),
        level=config.level(),
        concepts=config.texts("concepts"),
        files=config.texts("files"),
        failing=config.texts("failing"),
        hints=config.texts("hints", required=False),
        load=config.scenario(),
        house_rules_off=config.rules_off(),
        cheap_http_clients=config.flag("cheap_http_clients", default=True),
    )
    for name in kata.files:
        if "/" in name or not name.endswith(".py"):
            raise KataConfigError(
                f"{shown}: key 'files' lists {name!r}; name .py files in the kata."
            )
    return kata


def find_kata(selector: str | int | None, root: Path = REPO_ROOT) -> Kata:
    """The kata numbered ``selector`` ("4", "04" or 4), or a DojoError listing the valid numbers."""
    dirs = kata_dirs(root)
    valid = ", ".join(str(int(path.name[:2])) for path in dirs) or "none yet"
    text = str(selector).strip() if selector is not None else ""
    if not text:
        raise DojoError(f"Name a kata with N=<number>; the katas are {valid}.")
    if not text.isdigit():
        raise DojoError(f"N={text} is not a kata number; the katas are {valid}.")
    for path in dirs:
        if int(path.name[:2]) == int(text):
            return load_kata(path)
    raise DojoError(f"There is no kata {text}; the katas are {valid}.")


def _shown(path: Path) -> str:
    """A path relative to the working directory when possible, for messages."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class _Config:
    """Typed access to a kata.toml's keys, with errors that name the file and the key."""

    def __init__(self, shown: str, data: dict[str, Any]) -> None:
        self.shown = shown
        self.data = data

    def scenario(self) -> LoadScenario | None:
        try:
            return parse_scenario(self.data.get("load"))
        except ScenarioError as error:
            raise KataConfigError(f"{self.shown}: {error}") from None

    def rules_off(self) -> dict[str, str]:
        table = self.data.get("house_rules", {})
        if not isinstance(table, dict):
            raise KataConfigError(f"{self.shown}: [house_rules] must be a table of rule = reason.")
        for rule, reason in table.items():
            if rule not in HOUSE_RULES:
                raise KataConfigError(
                    f"{self.shown}: [house_rules] names {rule!r}, which is no house rule; "
                    f"the rules are {', '.join(HOUSE_RULES)}."
                )
            if not isinstance(reason, str) or not reason.strip():
                raise KataConfigError(
                    f"{self.shown}: [house_rules] {rule} must give the reason it is off, "
                    "as a non-empty string."
                )
        return {rule: reason.strip() for rule, reason in table.items()}

    def flag(self, key: str, *, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise KataConfigError(f"{self.shown}: key '{key}' must be true or false.")
        return value

    def _get(self, key: str) -> Any:
        if key not in self.data:
            raise KataConfigError(f"{self.shown}: key '{key}' is missing.")
        return self.data[key]

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str) or not value.strip():
            raise KataConfigError(f"{self.shown}: key '{key}' must be a non-empty string.")
        return value.strip()

    def texts(self, key: str, *, required: bool = True) -> tuple[str, ...]:
        value = self._get(key) if required else self.data.get(key, [])
        if not isinstance(value, list) or not all(
            isinstance(item, str) and item.strip() for item in value
        ):
            raise KataConfigError(f"{self.shown}: key '{key}' must be a list of strings.")
        return tuple(item.strip() for item in value)

    def number(self, key: str) -> int:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise KataConfigError(f"{self.shown}: key '{key}' must be a whole number.")
        return value

    def level(self) -> int:
        value = self._get("level")
        if isinstance(value, bool) or value not in LEVELS:
            raise KataConfigError(f"{self.shown}: key 'level' must be 1, 2 or 3, not {value!r}.")
        return int(value)
