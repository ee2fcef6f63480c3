"""The dojo room's server, over real HTTP: lights stored and streamed live, the review, the
controls behind the token, the export, bad input refused with a reason and nothing stored,
a room resumed after a stop, and a short run of the load proof. One room for the module."""

from __future__ import annotations

import asyncio
import io
import json
import socket
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from dojo.room.heartbeat import Heartbeat
from dojo.room.load import RunningRoom, load, running_room

DIFF = "--- a/katas/08_blocking_sleep/views.py\n+++ b/katas/08_blocking_sleep/views.py\n-x\n+y\n"


@pytest.fixture(scope="module")
def room() -> Iterator[RunningRoom]:
    with running_room() as started:
        yield started


@pytest.fixture
def client(room: RunningRoom) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=room.base, timeout=10.0, trust_env=False) as http:
        yield http


def light(room: RunningRoom, pair: str, **changes: Any) -> dict[str, Any]:
    return {
        "code": room.code,
        "pair": pair,
        "key": f"key-of-{pair}",
        "id": changes.pop("id", f"{pair}-1"),
        "kata": "08_blocking_sleep",
        "colour": "red",
        "passed": 1,
        "failed": 2,
        "duration": 0.7,
        "diff": DIFF,
        **changes,
    }


def stored(client: httpx.Client, room: RunningRoom) -> int:
    stats = client.get(f"/{room.code}/stats", headers={"X-Room-Token": room.token})
    return int(stats.json()["lights"])


def events(stream: Iterator[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    kind = ""
    for line in stream:
        if line.startswith("event: "):
            kind = line[7:]
        elif line.startswith("data: "):
            yield kind, json.loads(line[6:])


def test_a_posted_light_reaches_an_open_dashboard_live(
    client: httpx.Client, room: RunningRoom
) -> None:
    with client.stream("GET", f"/{room.code}/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        received = events(stream.iter_lines())
        kind, snapshot = next(received)
        assert kind == "snapshot"
        assert snapshot["room"]["code"] == room.code
        answer = client.post("/api/lights", json=light(room, "panda", id="live-1"))
        assert answer.status_code == 201, answer.text
        kind, event = next(received)
    assert kind == "light"
    assert event["light"]["id"] == answer.json()["id"]
    assert event["light"]["pair"] == "panda"
    assert event["light"]["colour"] == "red"
    assert "diff" not in event["light"], "the stream carries no diffs: a click fetches one"


def test_a_light_sent_twice_is_stored_once(client: httpx.Client, room: RunningRoom) -> None:
    first = client.post("/api/lights", json=light(room, "otter", id="again"))
    before = stored(client, room)
    second = client.post("/api/lights", json=light(room, "otter", id="again"))
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["duplicate"] is True
    assert stored(client, room) == before


def test_a_click_shows_the_diff_and_the_reference_only_to_the_facilitator(
    client: httpx.Client, room: RunningRoom
) -> None:
    posted = client.post("/api/lights", json=light(room, "koala", id="review-1")).json()
    url = f"/{room.code}/lights/{posted['id']}"
    pairs_view = client.get(url).json()
    facilitators_view = client.get(url, headers={"X-Room-Token": room.token}).json()
    assert pairs_view["diff"] == DIFF
    assert "reference" not in pairs_view
    assert "solutions/08_blocking_sleep/views.py" in facilitators_view["reference"]
    assert "asyncio.sleep" in facilitators_view["reference"]


def test_the_controls_need_the_token_and_are_pushed_to_dashboards(
    client: httpx.Client, room: RunningRoom
) -> None:
    change = {"kata": "04_missing_await", "rotation_minutes": 7}
    without = client.post(f"/{room.code}/control", json=change)
    wrong = client.post(f"/{room.code}/control", json=change, headers={"X-Room-Token": "guess"})
    assert (without.status_code, wrong.status_code) == (403, 403)
    assert "token" in without.json()["error"]
    assert client.get("/api/room", params={"code": room.code}).json()["room"]["kata"] == ""
    with client.stream("GET", f"/{room.code}/events") as stream:
        received = events(stream.iter_lines())
        next(received)
        answer = client.post(
            f"/{room.code}/control", json=change, headers={"X-Room-Token": room.token}
        )
        assert answer.status_code == 200, answer.text
        kind, event = next(received)
    assert kind == "room"
    assert event["room"]["kata"] == "04_missing_await"
    assert event["room"]["rotation_minutes"] == 7
    assert event["room"]["rotation_started"]
    client.post(f"/{room.code}/control", json={"kata": "", "rotation_minutes": 0},
                headers={"X-Room-Token": room.token})  # fmt: skip


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"kata": "../../etc/passwd"}, "'kata' must be the folder name"),
        ({"rotation_minutes": -1}, "'rotation_minutes' must be from 0"),
        ({"paused": "yes"}, "'paused' must be true or false"),
        ({}, "Nothing to change"),
    ],
)
def test_a_wrong_control_is_a_400_with_a_reason(
    client: httpx.Client, room: RunningRoom, change: dict[str, Any], says: str
) -> None:
    answer = client.post(f"/{room.code}/control", json=change, headers={"X-Room-Token": room.token})
    assert answer.status_code == 400
    assert says in answer.json()["error"]


def test_the_export_holds_every_light_with_its_diff(
    client: httpx.Client, room: RunningRoom
) -> None:
    client.post("/api/lights", json=light(room, "heron", id="export-1", colour="green"))
    assert client.get(f"/{room.code}/export.json").status_code == 403
    token = {"token": room.token}
    document = client.get(f"/{room.code}/export.json", params=token).json()
    mine = [each for each in document["lights"] if each["pair"] == "heron"]
    assert mine and mine[0]["diff"] == DIFF and mine[0]["colour"] == "green"
    assert "heron" in [pair["name"] for pair in document["pairs"]]
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(f"/{room.code}/export.zip", params=token).content)
    )
    names = archive.namelist()
    assert "room.json" in names
    heron = [name for name in names if name.startswith("heron/")]
    assert heron and archive.read(heron[0]).decode() == DIFF


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        (b"{not json", 400, "not valid JSON"),
        (b"[1, 2]", 400, "must be a JSON object"),
        (b'{"code": ""}', 403, "No room code"),
        (b'{"code": "nope42"}', 404, "no room with the code"),
    ],
)
def test_a_malformed_or_misaddressed_post_is_refused_with_a_reason_and_stores_nothing(
    client: httpx.Client, room: RunningRoom, body: bytes, status: int, says: str
) -> None:
    before = stored(client, room)
    answer = client.post("/api/lights", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == status
    assert says in answer.json()["error"]
    assert stored(client, room) == before


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("colour", "purple", "'colour' must be one of"),
        ("kata", "../secrets", "'kata' must be a kata folder's name"),
        ("passed", -3, "'passed' must be a whole number"),
        ("pair", "<script>", "'pair' must be a name"),
        ("key", "", "No sender key"),
    ],
)
def test_a_light_with_a_wrong_field_names_the_field(
    client: httpx.Client, room: RunningRoom, field: str, value: object, says: str
) -> None:
    before = stored(client, room)
    answer = client.post(
        "/api/lights", json={**light(room, "lynx", id=f"bad-{field}"), field: value}
    )
    assert answer.status_code in (400, 403)
    assert says in answer.json()["error"]
    assert stored(client, room) == before


def test_a_10_mb_diff_is_refused_with_413_before_it_is_read(
    client: httpx.Client, room: RunningRoom
) -> None:
    # Over a socket: the head and the first 64 KB of the body are sent, then the answer is
    # read. A client that goes on sending after it (httpx does) may see the room close the
    # connection before it reads the 413.
    before = stored(client, room)
    body = json.dumps(light(room, "gecko", id="huge", diff="+" * 10_000_000)).encode()
    url = httpx.URL(room.base)
    with socket.create_connection((url.host, url.port), timeout=10) as sock:
        sock.sendall(
            b"POST /api/lights HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % (url.host.encode(), len(body)) + body[:65536]
        )
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, text = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 "), head
    assert "limit" in json.loads(text)["error"]
    assert stored(client, room) == before


def test_another_laptop_cannot_send_as_a_pair_that_joined(
    client: httpx.Client, room: RunningRoom
) -> None:
    client.post("/api/join", json={"code": room.code, "pair": "yak", "key": "mine"})
    answer = client.post("/api/lights", json={**light(room, "yak", id="stolen"), "key": "theirs"})
    assert answer.status_code == 409
    assert "Another laptop already joined as yak" in answer.json()["error"]


def test_a_flood_from_one_sender_is_cut_to_its_rate_and_spares_the_others(
    client: httpx.Client, room: RunningRoom
) -> None:
    before = stored(client, room)
    answers = [
        client.post("/api/lights", json=light(room, "flood", id=f"f{n}")).status_code
        for n in range(40)
    ]
    accepted = answers.count(201)
    assert answers.count(429) >= 10, answers
    assert stored(client, room) == before + accepted
    other = client.post("/api/lights", json=light(room, "calm", id="c1"))
    assert other.status_code == 201


def test_the_dashboard_page_needs_the_right_code(client: httpx.Client, room: RunningRoom) -> None:
    page = client.get(f"/{room.code}/")
    assert page.status_code == 200
    assert f'Dojo room <span id="code">{room.code}</span>' in page.text
    assert room.token not in page.text, "the token never appears in the page"
    assert client.get("/wrong1/").status_code == 404
    assert client.get("/wrong1/events").status_code == 404


def test_a_short_load_loses_no_light_and_never_blocks_the_loop(room: RunningRoom) -> None:
    result = asyncio.run(load(room, pairs=6, every=0.5, seconds=2.0, dashboards=3))
    assert result.sent >= 6 * 4
    assert result.passed, result.report()


def test_the_room_resumes_with_its_code_and_token_after_a_stop(tmp_path: Path) -> None:
    with (
        running_room(tmp_path) as first,
        httpx.Client(base_url=first.base, trust_env=False) as http,
    ):
        http.post("/api/lights", json=light(first, "newt"))
    with running_room(tmp_path, port=None) as again:
        assert (again.code, again.token, again.base) == (first.code, first.token, first.base)
        with httpx.Client(base_url=again.base, trust_env=False) as http:
            assert http.get("/api/room", params={"code": again.code}).json()["pairs"] == ["newt"]


def test_the_rooms_heartbeat_catches_a_blocked_loop() -> None:
    async def block_once() -> Heartbeat:
        beat = Heartbeat()
        beat.ensure_running()
        await asyncio.sleep(0.05)
        time.sleep(0.3)  # noqa: ASYNC251  (a blocking call in a view, on purpose)
        await asyncio.sleep(0.05)
        return beat

    beat = asyncio.run(block_once())
    assert beat.longest_stall >= 0.25, f"a 0.3 s block showed as {beat.longest_stall:.3f} s"
