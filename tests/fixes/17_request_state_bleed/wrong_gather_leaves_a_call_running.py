"""Wrong: a ContextVar, and both services asked at the same time with a plain gather: when
one call fails, gather answers the 502 at once and leaves the other call running behind it,
on a client that is being closed."""

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
            profile, orders = await asyncio.gather(fetch_profile(client), fetch_orders(client))
        return JsonResponse({"user": current_user(), "name": profile["name"], "orders": orders})
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": "your account is unavailable right now"}, status=502)
    finally:
        _current_user.reset(token)
