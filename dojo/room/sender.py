"""The pairs' side of the room: after each run of a kata, send its light.

``make join`` writes build/room/joined.json (the room's address and code, the pair's name and
its sender key). From then on every ``make kata`` and ``make watch`` run goes through
``lights_for_run``, a pytest plugin that, when the session ends, appends the light (the
learner files as they are at that moment) to build/room/outbox.jsonl and starts a detached
process, ``python -m dojo.room.sender``, that diffs them against the shipped starters and
posts what the outbox holds. The run itself never waits on the network: writing a line and
starting a process is all it does, and an error there is swallowed. Lights the room could
not take (it was out of reach, or said "later") stay in the outbox and go with the next run.

Only the standard library: the learner's run imports this module.
"""

from __future__ import annotations

import contextlib
import difflib
import fcntl
import json
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from dojo.harness.config import IMPORT_FAILED

ANIMALS = (
    "panda", "otter", "koala", "lynx", "heron", "badger", "gecko", "ibis", "yak", "quokka",
    "puffin", "tapir", "okapi", "marten", "wombat", "falcon", "newt", "bison", "dingo", "lemur",
)  # fmt: skip
POST_TIMEOUT = 3.0
# The detached sender tries again after these pauses, then leaves the rest for the next run.
RETRY_PAUSES = (1.0, 3.0, 8.0, 20.0)
MAX_QUEUED = 500
MAX_DIFF = 64 * 1024
# No proxy: the room is on the facilitator's machine or the room's network, never beyond.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class Joined:
    """What ``make join`` keeps: where the room is and who this checkout is in it."""

    base: str
    code: str
    name: str
    key: str

    @property
    def dashboard(self) -> str:
        return f"{self.base}/{self.code}/"


class RoomError(Exception):
    """The room refused or could not be reached: the reason, in a sentence. ``retry`` is
    True when trying later may work (out of reach, busy, "send later")."""

    def __init__(self, reason: str, *, retry: bool = False) -> None:
        super().__init__(reason)
        self.retry = retry


def room_dir(root: Path) -> Path:
    return root / "build" / "room"


def joined(root: Path) -> Joined | None:
    """The room this checkout joined, or None."""
    try:
        data = json.loads((room_dir(root) / "joined.json").read_text(encoding="utf-8"))
        return Joined(data["base"], data["code"], data["name"], data["key"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def parse_room(url: str) -> tuple[str, str]:
    """``http://host:port/<code>/`` as (``http://host:port``, code)."""
    parts = urllib.parse.urlsplit(url.strip())
    code = parts.path.strip("/")
    if parts.scheme not in ("http", "https") or not parts.netloc or not code or "/" in code:
        raise RoomError(
            f"ROOM={url!r} is not a room's address; copy the join line make room printed, "
            "like ROOM=http://192.168.1.20:8765/k3v9tq/"
        )
    return f"{parts.scheme}://{parts.netloc}", code


def join(root: Path, url: str, name: str | None) -> Joined:
    """Join the room at ``url`` as ``name`` (a free animal when None); keep it in joined.json."""
    base, code = parse_room(url)
    previous = joined(root)
    key = previous.key if previous and previous.base == base else secrets.token_urlsafe(24)
    if name is None and previous and previous.code == code:
        name = previous.name
    taken = set(ask_room(f"{base}/api/room?{urllib.parse.urlencode({'code': code})}")["pairs"])
    if name is None:
        free = [animal for animal in ANIMALS if animal not in taken]
        name = free[0] if free else f"pair-{secrets.token_hex(2)}"
    ask_room(f"{base}/api/join", {"code": code, "pair": name, "key": key})
    result = Joined(base, code, name, key)
    room_dir(root).mkdir(parents=True, exist_ok=True)
    (room_dir(root) / "joined.json").write_text(json.dumps(result.__dict__), encoding="utf-8")
    return result


def leave(root: Path) -> Joined | None:
    """Stop sending: forget the room and the lights not sent yet. The room it left, or None."""
    was = joined(root)
    for name in ("joined.json", "outbox.jsonl"):
        with contextlib.suppress(FileNotFoundError):
            (room_dir(root) / name).unlink()
    return was


def lights_for_run(root: Path, kata_name: str, files: tuple[str, ...], target: str) -> list[object]:
    """The plugin that sends this run's light, when this checkout joined a room and the run
    is of the learner's code; else nothing."""
    if target != "katas" or joined(root) is None:
        return []
    return [RunLight(root, kata_name, files)]


class RunLight:
    """Counts a run's tests as pytest reports them and queues its light at the end."""

    def __init__(self, root: Path, kata_name: str, files: tuple[str, ...]) -> None:
        self.root = root
        self.kata_name = kata_name
        self.files = files
        self.passed = 0
        self.failed = 0
        self.timed_out = False
        self.broken = False
        self.started = time.monotonic()
        self.sender: subprocess.Popen[bytes] | None = None

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.broken = True

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" and report.passed:
            self.passed += 1
        elif report.failed:
            self.failed += 1
            # The learner's files do not import (a syntax error): no test could run.
            self.broken = self.broken or (
                report.when == "setup" and IMPORT_FAILED in report.longreprtext
            )
            # pytest-timeout's failure: "Failed: Timeout (>10.0s) from pytest-timeout."
            self.timed_out = self.timed_out or "Timeout" in report.longreprtext

    def pytest_sessionfinish(self, exitstatus: int) -> None:
        with contextlib.suppress(Exception):  # a light is never worth a broken run
            queue_light(self.root, self.light(exitstatus))
            self.sender = start_sender(self.root)

    def light(self, exitstatus: int) -> dict[str, Any]:
        if self.broken or exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
            colour = "amber"  # the tests could not run
        elif self.timed_out:
            colour = "timeout"
        else:
            colour = "green" if exitstatus == pytest.ExitCode.OK else "red"
        folder = self.root / "katas" / self.kata_name
        return {
            "id": secrets.token_hex(8),
            "kata": self.kata_name,
            "colour": colour,
            "passed": self.passed,
            "failed": self.failed,
            "duration": round(time.monotonic() - self.started, 3),
            "files": {name: _read(folder / name) for name in self.files},
        }


def queue_light(root: Path, light: dict[str, Any]) -> None:
    """Append a light to the outbox (keeping the newest MAX_QUEUED)."""
    room_dir(root).mkdir(parents=True, exist_ok=True)
    with _locked(room_dir(root) / "outbox.jsonl") as lines:
        lines.append(json.dumps(light))
        del lines[:-MAX_QUEUED]


def start_sender(root: Path) -> subprocess.Popen[bytes]:
    """Start ``python -m dojo.room.sender`` detached: it outlives the run, and what it has
    to say goes to build/room/sender.log."""
    with (room_dir(root) / "sender.log").open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "dojo.room.sender", str(root)],
            cwd=root,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )


def send_queued(root: Path, pauses: tuple[float, ...] = RETRY_PAUSES) -> int:
    """Send what the outbox holds, oldest first; try again after ``pauses`` while the room
    is out of reach. One sender at a time per checkout. The number of lights left unsent."""
    room = joined(root)
    if room is None:
        return 0
    left = 0
    with open(room_dir(root) / "sender.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return 0  # the sender already at work sends this light too
        for pause in (0.0, *pauses):
            time.sleep(pause)
            left = _send_all(root, room)
            if left == 0:
                return 0
        return left


def _send_all(root: Path, room: Joined) -> int:
    with _locked(room_dir(root) / "outbox.jsonl") as lines:
        pending = list(lines)
    done: set[str] = set()
    for line in pending:
        try:
            light = json.loads(line)
            body = {**light, "code": room.code, "pair": room.name, "key": room.key}
            body["diff"] = diff(root, light["kata"], body.pop("files"))
            ask_room(f"{room.base}/api/lights", body)
        except RoomError as error:
            if error.retry:
                break  # the room is out of reach or busy: keep this light and the rest
            print(f"dropped a light the room refused: {error}", file=sys.stderr)
        except (ValueError, KeyError, TypeError):
            print("dropped an unreadable line of the outbox", file=sys.stderr)
        done.add(line)
    with _locked(room_dir(root) / "outbox.jsonl") as lines:
        lines[:] = [line for line in lines if line not in done]
        return len(lines)


def diff(root: Path, kata_name: str, files: dict[str, str]) -> str:
    """The learner files against the shipped starters (git's HEAD), as one unified diff."""
    parts: list[str] = []
    for name, text in sorted(files.items()):
        path = f"katas/{kata_name}/{name}"
        shipped = subprocess.run(
            ["git", "show", f"HEAD:{path}"], cwd=root, capture_output=True, check=False
        ).stdout.decode(errors="replace")
        parts += difflib.unified_diff(
            shipped.splitlines(keepends=True),
            text.splitlines(keepends=True),
            f"a/{path} (shipped)",
            f"b/{path}",
        )
    text = "".join(parts)
    if len(text) > MAX_DIFF:
        text = text[:MAX_DIFF] + f"\n[... diff cut at {MAX_DIFF // 1024} KB ...]\n"
    return text


def ask_room(url: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """GET (or POST ``body`` as JSON to) the room; its JSON answer, or a RoomError with the
    room's reason. ``error.retry`` is True when trying later may work."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with _OPENER.open(request, timeout=POST_TIMEOUT) as answer:
            result: dict[str, Any] = json.loads(answer.read())
            return result
    except urllib.error.HTTPError as error:
        later = error.code == 429 or error.code >= 500
        raise RoomError(f"the room answered {error.code}: {_reason(error)}", retry=later) from None
    except (OSError, ValueError) as error:
        where = url.split("/api")[0]
        raise RoomError(f"the room at {where} is out of reach ({error})", retry=True) from None


def _reason(error: urllib.error.HTTPError) -> str:
    with contextlib.suppress(Exception):
        return str(json.loads(error.read())["error"])
    return str(error.reason)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[list[str]]:
    """The file's lines, under an exclusive lock; written back as the caller left them."""
    with open(path, "a+", encoding="utf-8") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        file.seek(0)
        lines = [line for line in file.read().splitlines() if line]
        before = list(lines)
        yield lines
        if lines != before:
            file.seek(0)
            file.truncate()
            file.write("".join(f"{line}\n" for line in lines))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


if __name__ == "__main__":
    sys.exit(1 if send_queued(Path(sys.argv[1])) else 0)
