"""Right: a ContextVar, and the two services asked at the same time: the tasks gather
makes start with a copy of the request's context, so each still sees its own user; gather
waits for both calls, so a failing one leaves nothing running."""

import asyncio
import contextvars

import httpx
from django.http import JsonResponse

PROFILE_SERVICE = "http://profiles.example/profile"
ORDER_SERVICE = "http://orders.example/recent"

_current_user = contextvars.ContextVar("current_user")


def current_user():
    return _current_user.get()


async def fetch_profile(client):
    response = await client.get(PROFILE_SERVICE, params={"user": current_user()})
    response.raise_for_status()
    return response.json()


async def fetch_orders(client):
    response = await client.get(ORDER_SERVICE, params={"user": current_user()})
    response.raise_for_status()
    return response.json()["orders"]


async def account(request):
    token = _current_user.set(request.headers.get("X-User", "anonymous"))
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            # return_exceptions: a failing call must not leave the other one running.
            profile, orders = await asyncio.gather(
                fetch_profile(client), fetch_orders(client), return_exceptions=True
            )
        for result in (profile, orders):
            if isinstance(result, Exception):
                raise result
        return JsonResponse({"user": current_user(), "name": profile["name"], "orders": orders})
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": "your account is unavailable right now"}, status=502)
    finally:
        _current_user.reset(token)
