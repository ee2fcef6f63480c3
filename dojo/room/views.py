"""The pairs' side of the room and the dashboards' live stream: every view is async, reads
and writes through the async ORM, and does a bounded amount of work.

- ``POST /api/lights``: a pair's light (``dojo.room.sender`` posts it after each run).
- ``POST /api/join``: a pair takes its name in the room.
- ``GET /api/room?code=``: the room's state (its kata, pause, rotation) and its pairs.
- ``GET /<code>/``: the dashboard; ``#token=`` in its address adds the controls.
- ``GET /<code>/events``: Server-Sent Events: the room's lights, then each new one live.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from typing import Any

from django.db import IntegrityError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from dojo.room import catalog
from dojo.room.access import Refused, json_body, refusals_answered, room_by_code
from dojo.room.broadcast import MAX_LISTENERS, Full, broadcast
from dojo.room.heartbeat import heartbeat
from dojo.room.limits import senders
from dojo.room.models import COLOURS, Light, Pair, Room

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _-]{0,39}$")
KATA = re.compile(r"^\d{2}_[a-z][a-z0-9_]{0,70}$")
MAX_PAIRS = 200
MAX_DIFF = 128 * 1024
# The room as a stream opens with: lights beyond this many are in the export, not the page.
SNAPSHOT_LIGHTS = 5000
KEEPALIVE_SECONDS = 15.0


@csrf_exempt
@require_POST
@refusals_answered
async def post_light(request: HttpRequest) -> HttpResponse:
    """Store one light of a pair (made on its first light) and tell every dashboard."""
    heartbeat.ensure_running()
    data = json_body(request)
    room = await room_by_code(_text(data, "code", 16))
    name = _text(data, "pair", 40)
    if not NAME.match(name):
        raise Refused(400, "'pair' must be a name of letters, digits, '-' or '_' (40 at most).")
    fields = _light_fields(data)
    if not senders.allow(f"{room.pk}:{name}"):
        raise Refused(429, f"{name} sends too fast; the light was not stored, send it later.")
    pair = await _pair(room, name, _text(data, "key", 64))
    try:
        light = await Light.objects.acreate(pair=pair, **fields)
    except IntegrityError:  # sent again after a lost answer: stored the first time
        first = Light.objects.filter(pair=pair, sent_id=fields["sent_id"])
        kept = await first.values_list("pk", flat=True).afirst()
        return JsonResponse({"stored": False, "duplicate": True, "id": kept, "room": room.state()})
    broadcast.publish({"type": "light", "light": light.summary(pair.name)})
    return JsonResponse({"stored": True, "id": light.pk, "room": room.state()}, status=201)


@csrf_exempt
@require_POST
@refusals_answered
async def join(request: HttpRequest) -> HttpResponse:
    """Take a pair's name in the room for its sender key (again, for the same key)."""
    heartbeat.ensure_running()
    data = json_body(request)
    room = await room_by_code(_text(data, "code", 16))
    name = _text(data, "pair", 40)
    if not NAME.match(name):
        raise Refused(400, "'pair' must be a name of letters, digits, '-' or '_' (40 at most).")
    pair = await _pair(room, name, _text(data, "key", 64))
    return JsonResponse({"pair": pair.name, "room": room.state()})


@require_GET
@refusals_answered
async def room_state(request: HttpRequest) -> HttpResponse:
    """The room's state and its pairs' names: what ``make join`` and ``make watch`` read."""
    heartbeat.ensure_running()
    room = await room_by_code(request.GET.get("code", ""))
    names = [name async for name in Pair.objects.filter(room=room).values_list("name", flat=True)]
    return JsonResponse({"room": room.state(), "pairs": names})


@require_GET
@refusals_answered
async def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """The projector's page; the live parts come from ``events``."""
    heartbeat.ensure_running()
    room = await room_by_code(code)
    katas = await catalog.katas()
    return render(request, "room/dashboard.html", {"room": room, "katas": katas})


@require_GET
@refusals_answered
async def events(request: HttpRequest, code: str) -> HttpResponseBase:
    """The room as Server-Sent Events: a snapshot, then each light and control as it comes."""
    heartbeat.ensure_running()
    room = await room_by_code(code)
    if broadcast.listeners >= MAX_LISTENERS:
        raise Refused(503, "Too many dashboards are open; close one and reload.")
    response = StreamingHttpResponse(_stream(room), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


async def _stream(room: Room) -> AsyncIterator[str]:
    """Listen first, then read the snapshot, so no light falls between the two (the page
    ignores a light it already has). Ends when the client goes (Django cancels it) or
    when it is dropped for being too slow (the browser reconnects)."""
    try:
        async with broadcast.listen() as queue:
            yield "retry: 2000\n\n"
            yield _event("snapshot", {"room": room.state(), "lights": await _lights(room)})
            while True:
                try:
                    event = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    yield ": still here\n\n"
                    continue
                if event is None:
                    return
                yield _event(event["type"], event)
    except Full:
        yield _event("full", {"error": "Too many dashboards are open."})


async def _lights(room: Room) -> list[dict[str, Any]]:
    lights = Light.objects.filter(pair__room=room).select_related("pair").defer("diff")
    newest = lights.order_by("-at", "-id")[:SNAPSHOT_LIGHTS]
    shown = [light.summary(light.pair.name) async for light in newest]
    return shown[::-1]


def _event(kind: str, data: dict[str, Any]) -> str:
    return f"event: {kind}\ndata: {json.dumps(data)}\n\n"


async def _pair(room: Room, name: str, key: str) -> Pair:
    """The pair of this name, made on its first light; only its own key may send as it."""
    if not key:
        raise Refused(403, "No sender key: join the room again (make join).")
    pair = await Pair.objects.filter(room=room, name=name).afirst()
    if pair is None:
        if await Pair.objects.filter(room=room).acount() >= MAX_PAIRS:
            raise Refused(403, f"The room is full ({MAX_PAIRS} pairs).")
        try:
            return await Pair.objects.acreate(room=room, name=name, key=key)
        except IntegrityError:  # two first lights at once: the other one made it
            pair = await Pair.objects.aget(room=room, name=name)
    if pair.key != key:
        raise Refused(409, f"Another laptop already joined as {name}; join with another NAME.")
    return pair


def _light_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The light's fields, checked one by one: a 400 names the first that is wrong."""
    kata = _text(data, "kata", 80)
    if not KATA.match(kata):
        raise Refused(
            400, f"'kata' must be a kata folder's name like 04_missing_await, not {kata!r}."
        )
    colour = _text(data, "colour", 8)
    if colour not in COLOURS:
        raise Refused(400, f"'colour' must be one of {', '.join(COLOURS)}.")
    diff = data.get("diff", "")
    if not isinstance(diff, str) or len(diff) > MAX_DIFF:
        raise Refused(400, f"'diff' must be text of {MAX_DIFF // 1024} KB at most.")
    return {
        "kata": kata,
        "colour": colour,
        "passed": _count(data, "passed"),
        "failed": _count(data, "failed"),
        "duration": _seconds(data, "duration"),
        "diff": diff,
        "sent_id": _sent_id(data),
    }


def _sent_id(data: dict[str, Any]) -> str:
    sent_id = _text(data, "id", 40)
    if not sent_id:
        raise Refused(400, "'id' must name the light (the sender makes one per run).")
    return sent_id


def _text(data: dict[str, Any], key: str, longest: int) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or len(value) > longest:
        raise Refused(400, f"'{key}' must be text of {longest} characters at most.")
    return value


def _count(data: dict[str, Any], key: str) -> int:
    value = data.get(key, 0)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10_000:
        raise Refused(400, f"'{key}' must be a whole number from 0 to 10000.")
    return value


def _seconds(data: dict[str, Any], key: str) -> float:
    value = data.get(key, 0.0)
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 86_400:
        raise Refused(400, f"'{key}' must be a number of seconds from 0 to 86400.")
    return float(value)
