"""The pairs' side of the dojo room: join and leave, a run's light with its diff sent in the
background, lights kept while the room is out of reach, and a run that never waits on it."""

from __future__ import annotations

import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from dojo import cli
from dojo.harness.config import IMPORT_FAILED
from dojo.room import sender
from dojo.room.follow import ROOM_EVENT, News, follow_room
from dojo.room.load import RunningRoom, running_room
from tests.fakekata import copy_project, write_kata

KATA = "04_say_hello"


@pytest.fixture(scope="module")
def room() -> Iterator[RunningRoom]:
    with running_room() as started:
        yield started


def lights_of(room: RunningRoom, pair: str) -> list[dict[str, object]]:
    document = httpx.get(
        f"{room.base}/{room.code}/export.json", params={"token": room.token}, trust_env=False
    ).json()
    return [light for light in document["lights"] if light["pair"] == pair]


def wait_for_lights(room: RunningRoom, pair: str, count: int) -> list[dict[str, object]]:
    deadline = time.monotonic() + 15
    while len(found := lights_of(room, pair)) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def clone(root: Path) -> Path:
    """A dojo checkout with one kata, committed as shipped."""
    copy_project(root)
    write_kata(root, KATA)
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "shipped"]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *command], cwd=root, check=True
        )
    return root


def test_pairs_join_as_free_animals_and_leave(tmp_path: Path, room: RunningRoom) -> None:
    first = sender.join(tmp_path / "one", room.url, None)
    second = sender.join(tmp_path / "two", room.url, None)
    named = sender.join(tmp_path / "three", room.url, "Team-7")
    assert first.name != second.name
    assert {first.name, second.name} <= set(sender.ANIMALS)
    assert named.name == "Team-7"
    assert sender.joined(tmp_path / "one") == first
    assert sender.leave(tmp_path / "one") == first
    assert sender.joined(tmp_path / "one") is None


def test_a_name_taken_by_another_laptop_is_refused(tmp_path: Path, room: RunningRoom) -> None:
    sender.join(tmp_path / "one", room.url, "falcon")
    with pytest.raises(sender.RoomError, match="Another laptop already joined as falcon"):
        sender.join(tmp_path / "two", room.url, "falcon")


@pytest.mark.parametrize(
    ("address", "says"),
    [
        ("not a url", "is not a room's address"),
        ("http://127.0.0.1:{closed}/abc234/", "out of reach"),
        ("{base}/nosuch/", "no room with the code 'nosuch'"),
    ],
)
def test_joining_a_wrong_room_is_one_sentence(
    room: RunningRoom, address: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        closed = free.getsockname()[1]
    code = cli.main(["join", address.format(closed=closed, base=room.base)])
    shown = capsys.readouterr().err
    assert code == 2
    assert shown.startswith("dojo: Could not join: ")
    assert says in shown
    assert len(shown.strip().splitlines()) == 1


def test_a_run_of_a_joined_checkout_sends_its_light_with_the_diff(
    tmp_path: Path, room: RunningRoom
) -> None:
    root = clone(tmp_path)
    views = root / "katas" / KATA / "views.py"
    views.write_text(views.read_text().replace('HttpResponse("hello")', 'HttpResponse("hi")'))
    sender.join(root, room.url, "quokka")
    env = {**os.environ, "DOJO_ROOT": str(root)}
    run = subprocess.run(
        [sys.executable, "-m", "dojo", "run", "4"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    [light] = wait_for_lights(room, "quokka", 1)
    assert (light["kata"], light["colour"]) == (KATA, "red")
    assert (light["passed"], light["failed"]) == (1, 1)
    assert f"a/katas/{KATA}/views.py (shipped)" in str(light["diff"])
    assert '-    return HttpResponse("hello")' in str(light["diff"])
    assert '+    return HttpResponse("hi")' in str(light["diff"])


def test_lights_wait_while_the_room_is_out_of_reach_and_go_once_it_is_back(
    tmp_path: Path, room: RunningRoom
) -> None:
    joined = sender.join(tmp_path, room.url, "puffin")
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{free.getsockname()[1]}"
    kept = tmp_path / "build" / "room" / "joined.json"
    kept.write_text(json.dumps({**joined.__dict__, "base": closed}))
    for number in range(3):
        sender.queue_light(tmp_path, light(f"away-{number}"))
    assert sender.send_queued(tmp_path, pauses=()) == 3
    kept.write_text(json.dumps(joined.__dict__))
    assert sender.send_queued(tmp_path, pauses=()) == 0
    assert [each["colour"] for each in lights_of(room, "puffin")] == ["red", "red", "red"]


def test_a_run_never_waits_for_a_room_that_does_not_answer(
    tmp_path: Path, room: RunningRoom
) -> None:
    joined = sender.join(tmp_path, room.url, "tapir")
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        base = f"http://127.0.0.1:{silent.getsockname()[1]}"
        (tmp_path / "build" / "room" / "joined.json").write_text(
            json.dumps({**joined.__dict__, "base": base})
        )
        [plugin] = sender.lights_for_run(tmp_path, KATA, ("views.py",), "katas")
        assert isinstance(plugin, sender.RunLight)
        began = time.perf_counter()
        plugin.pytest_sessionfinish(exitstatus=1)
        took = time.perf_counter() - began
        assert plugin.sender is not None
        plugin.sender.kill()
        plugin.sender.wait()
    assert took < 1.0, f"the run waited {took:.2f} s for the room; a send must not hold it"
    assert len((tmp_path / "build" / "room" / "outbox.jsonl").read_text().splitlines()) == 1


def test_runs_of_the_reference_fix_or_without_a_room_send_nothing(tmp_path: Path) -> None:
    assert sender.lights_for_run(tmp_path, KATA, ("views.py",), "katas") == []
    (tmp_path / "build" / "room").mkdir(parents=True)
    joined = sender.Joined("http://127.0.0.1:9", "abc234", "panda", "k")
    (tmp_path / "build" / "room" / "joined.json").write_text(json.dumps(joined.__dict__))
    assert sender.lights_for_run(tmp_path, KATA, ("views.py",), "solutions") == []


@pytest.mark.parametrize(
    ("exitstatus", "timed_out", "broken", "colour"),
    [
        (pytest.ExitCode.OK, False, False, "green"),
        (pytest.ExitCode.TESTS_FAILED, False, False, "red"),
        (pytest.ExitCode.TESTS_FAILED, True, False, "timeout"),
        (pytest.ExitCode.INTERRUPTED, False, True, "amber"),
        (pytest.ExitCode.NO_TESTS_COLLECTED, False, False, "amber"),
    ],
)
def test_a_runs_colour_says_how_it_ended(
    tmp_path: Path, exitstatus: int, timed_out: bool, broken: bool, colour: str
) -> None:
    plugin = sender.RunLight(tmp_path, KATA, ("views.py",))
    plugin.timed_out, plugin.broken = timed_out, broken
    assert plugin.light(exitstatus)["colour"] == colour


def test_a_run_whose_learner_files_do_not_import_is_amber(tmp_path: Path) -> None:
    plugin = sender.RunLight(tmp_path, KATA, ("views.py",))
    for name in ("test_one", "test_two"):
        plugin.pytest_runtest_logreport(
            pytest.TestReport(
                f"katas/{KATA}/test_kata.py::{name}", ("test_kata.py", 1, name), {}, "failed",
                f"{IMPORT_FAILED}: SyntaxError: '(' was never closed (views.py, line 30)",
                "setup",
            )
        )  # fmt: skip
    assert plugin.light(pytest.ExitCode.TESTS_FAILED)["colour"] == "amber"


def light(sent_id: str) -> dict[str, object]:
    return {
        "id": sent_id,
        "kata": KATA,
        "colour": "red",
        "passed": 0,
        "failed": 2,
        "duration": 0.4,
        "files": {"views.py": "print('hi')\n"},
    }


def test_watch_hears_the_rooms_kata_once_set(tmp_path: Path, room: RunningRoom) -> None:
    sender.join(tmp_path, room.url, "bison")
    control = f"{room.base}/{room.code}/control"
    token = {"X-Room-Token": room.token}
    httpx.post(control, json={"kata": "09_sync_http_client"}, headers=token, trust_env=False)
    events: queue.Queue[str] = queue.Queue()
    stop = threading.Event()
    follower = threading.Thread(target=follow_room, args=(tmp_path, events, stop, 0.1))
    follower.start()
    try:
        assert events.get(timeout=10) == ROOM_EVENT + "09_sync_http_client"
        httpx.post(control, json={"kata": "12_sequential_awaits"}, headers=token, trust_env=False)
        assert events.get(timeout=10) == ROOM_EVENT + "12_sequential_awaits"
    finally:
        stop.set()
        follower.join()
        httpx.post(control, json={"kata": ""}, headers=token, trust_env=False)


def test_the_news_a_watch_hears_names_the_kata_the_pause_and_each_swap() -> None:
    news = News()
    started = "2026-01-01T10:00:00+00:00"
    at = datetime.fromisoformat(started).timestamp()
    state = {"kata": "", "paused": False, "rotation_minutes": 5, "rotation_started": started}
    assert news.hear(state, at + 10) == []
    assert news.hear({**state, "kata": "08_blocking_sleep"}, at + 20) == ["08_blocking_sleep"]
    assert news.hear({**state, "kata": "08_blocking_sleep"}, at + 290) == []
    [swap] = news.hear({**state, "kata": "08_blocking_sleep"}, at + 301)
    assert "Swap" in swap
    assert news.hear({**state, "kata": "08_blocking_sleep"}, at + 304) == []
    [paused] = news.hear({**state, "kata": "08_blocking_sleep", "paused": True}, at + 310)
    assert "paused" in paused
