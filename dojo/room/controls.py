"""The review and the facilitator's side of the room: a light's diff (beside the reference
fix, with the token), the controls (the room's kata, the rotation timer, pause), the export
and the server's own figures. Everything but a light's diff needs the facilitator's token.

- ``GET /<code>/lights/<id>``: one light and its diff (and the reference fix, with the token).
- ``POST /<code>/control``: ``{"kata": ..., "rotation_minutes": ..., "paused": ...}``.
- ``GET /<code>/export.json`` and ``/<code>/export.zip``: the whole room, the diffs included.
- ``GET /<code>/stats``: lights stored, dashboards open, the loop's longest stall.
"""

from __future__ import annotations

import asyncio
import io
import json
import zipfile
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from dojo.room import catalog
from dojo.room.access import (
    Refused,
    facilitator,
    json_body,
    refusals_answered,
    require_facilitator,
    room_by_code,
)
from dojo.room.broadcast import broadcast
from dojo.room.heartbeat import heartbeat
from dojo.room.models import Light, Pair, Room

MAX_ROTATION_MINUTES = 120


@require_GET
@refusals_answered
async def light(request: HttpRequest, code: str, light_id: int) -> HttpResponse:
    """A light with its diff; the facilitator also gets the kata's reference fix."""
    room = await room_by_code(code)
    found = await Light.objects.select_related("pair").filter(pair__room=room, pk=light_id).afirst()
    if found is None:
        raise Refused(404, f"The room has no light {light_id}.")
    answer = {**found.summary(found.pair.name), "diff": found.diff}
    if facilitator(request, room):
        answer["reference"] = await catalog.reference(found.kata)
    return JsonResponse(answer)


@csrf_exempt
@require_POST
@refusals_answered
async def control(request: HttpRequest, code: str) -> HttpResponse:
    """Set the room's kata, start (or stop, with 0) the rotation timer, pause or resume."""
    room = await room_by_code(code)
    require_facilitator(request, room)
    data = json_body(request)
    changed: list[str] = []
    if "kata" in data:
        kata = data["kata"]
        if not isinstance(kata, str) or not (kata == "" or await catalog.known(kata)):
            raise Refused(400, "'kata' must be the folder name of a kata of this dojo, or ''.")
        room.kata = kata
        changed.append("kata")
    if "rotation_minutes" in data:
        minutes = data["rotation_minutes"]
        if not isinstance(minutes, int) or isinstance(minutes, bool):
            raise Refused(400, "'rotation_minutes' must be a whole number of minutes.")
        if not 0 <= minutes <= MAX_ROTATION_MINUTES:
            raise Refused(
                400, f"'rotation_minutes' must be from 0 (off) to {MAX_ROTATION_MINUTES}."
            )
        room.rotation_minutes = minutes
        room.rotation_started = timezone.now() if minutes else None
        changed += ["rotation_minutes", "rotation_started"]
    if "paused" in data:
        if not isinstance(data["paused"], bool):
            raise Refused(400, "'paused' must be true or false.")
        room.paused = data["paused"]
        changed.append("paused")
    if not changed:
        raise Refused(400, "Nothing to change: send 'kata', 'rotation_minutes' or 'paused'.")
    await room.asave(update_fields=changed)
    broadcast.publish({"type": "room", "room": room.state()})
    return JsonResponse({"room": room.state()})


@require_GET
@refusals_answered
async def export_json(request: HttpRequest, code: str) -> HttpResponse:
    """The whole room as one JSON document: the room, its pairs, every light with its diff."""
    room = await room_by_code(code)
    require_facilitator(request, room)
    document = await _export(room)
    response = JsonResponse(document, json_dumps_params={"indent": 1})
    response["Content-Disposition"] = f'attachment; filename="room-{room.code}.json"'
    return response


@require_GET
@refusals_answered
async def export_zip(request: HttpRequest, code: str) -> HttpResponse:
    """The room's JSON and one .diff file per light, by pair, in a zip built off the loop."""
    room = await room_by_code(code)
    require_facilitator(request, room)
    document = await _export(room)
    archive = await asyncio.to_thread(_zip, document)
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="room-{room.code}.zip"'
    return response


@require_GET
@refusals_answered
async def stats(request: HttpRequest, code: str) -> HttpResponse:
    """The server's own figures: what the load test reads. ``?reset=1`` starts them anew."""
    room = await room_by_code(code)
    require_facilitator(request, room)
    heartbeat.ensure_running()
    if request.GET.get("reset"):
        heartbeat.reset()
    return JsonResponse(
        {
            "lights": await Light.objects.filter(pair__room=room).acount(),
            "pairs": await Pair.objects.filter(room=room).acount(),
            "dashboards": broadcast.listeners,
            "longest_stall": round(heartbeat.longest_stall, 4),
            "longest_late": round(heartbeat.longest_late, 4),
            "beats": heartbeat.beats,
        }
    )


async def _export(room: Room) -> dict[str, Any]:
    pairs = [
        {"name": name, "joined": joined.isoformat()}
        async for name, joined in Pair.objects.filter(room=room).values_list("name", "joined")
    ]
    lights = [
        {**light.summary(light.pair.name), "diff": light.diff}
        async for light in Light.objects.filter(pair__room=room).select_related("pair")
    ]
    return {
        "room": room.state(),
        "created": room.created.isoformat(),
        "pairs": pairs,
        "lights": lights,
    }


def _zip(document: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("room.json", json.dumps(document, indent=1))
        for number, light in enumerate(document["lights"], 1):
            name = f"{light['pair']}/{number:04d}-{light['kata']}-{light['colour']}.diff"
            archive.writestr(name, light["diff"])
    return buffer.getvalue()
