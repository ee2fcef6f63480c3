"""Wrong: each request's state as a small record in a dict by task id, never removed: the
dict keeps a record of every request served."""

import asyncio

import httpx
from django.http import JsonResponse

PROFILE_SERVICE = "http://profiles.example/profile"
ORDER_SERVICE = "http://orders.example/recent"

_state = {}


def remember(user):
    _state[id(asyncio.current_task())] = {"user": user}


def current_user():
    return _state[id(asyncio.current_task())]["user"]


async def fetch_profile(client):
    response = await client.get(PROFILE_SERVICE, params={"user": current_user()})
    response.raise_for_status()
    return response.json()


async def fetch_orders(client):
    response = await client.get(ORDER_SERVICE, params={"user": current_user()})
    response.raise_for_status()
    return response.json()["orders"]


async def account(request):
    remember(request.headers.get("X-User", "anonymous"))
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            profile = await fetch_profile(client)
            orders = await fetch_orders(client)
        return JsonResponse({"user": current_user(), "name": profile["name"], "orders": orders})
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": "your account is unavailable right now"}, status=502)
