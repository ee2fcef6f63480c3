"""Who may do what: the room code lets a pair post and a dashboard watch; the facilitator's
token opens the controls. A refusal is an exception the views turn into a 4xx with a reason."""

from __future__ import annotations

import functools
import json
import secrets
from collections.abc import Callable, Coroutine
from typing import Any

from django.http import HttpRequest, HttpResponseBase, JsonResponse

from dojo.room.models import Room

TOKEN_HEADER = "X-Room-Token"


class Refused(Exception):
    """A request the room will not serve: its status and the reason, in a sentence."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


View = Callable[..., Coroutine[Any, Any, HttpResponseBase]]


def refusals_answered(view: View) -> View:
    """Answer a ``Refused`` with its status and ``{"error": reason}``."""

    @functools.wraps(view)
    async def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return await view(request, *args, **kwargs)
        except Refused as refused:
            return JsonResponse({"error": refused.reason}, status=refused.status)

    return wrapper


async def room_by_code(code: str) -> Room:
    """The room with this code, or a 403 (no code) / 404 (no such room)."""
    if not code:
        raise Refused(403, "No room code: join with the code the facilitator gave you.")
    room = await Room.objects.filter(code=code).afirst()
    if room is None:
        raise Refused(404, f"There is no room with the code {code[:16]!r}; check the join line.")
    return room


def facilitator(request: HttpRequest, room: Room) -> bool:
    """True when the request carries the room's facilitator token."""
    token = request.headers.get(TOKEN_HEADER) or request.GET.get("token", "")
    return bool(token) and secrets.compare_digest(token.encode(), room.token.encode())


def require_facilitator(request: HttpRequest, room: Room) -> None:
    if not facilitator(request, room):
        raise Refused(403, "The controls need the facilitator's token (the dashboard link).")


def json_body(request: HttpRequest) -> dict[str, Any]:
    """The request's JSON object, or a 400 that says what is wrong with it."""
    try:
        data = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Refused(400, f"The body is not valid JSON ({error}); nothing was stored.") from None
    if not isinstance(data, dict):
        raise Refused(400, "The body must be a JSON object; nothing was stored.")
    return data
