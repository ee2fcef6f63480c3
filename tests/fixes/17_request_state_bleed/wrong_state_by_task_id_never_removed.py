"""Wrong: request state in a dict keyed by id() of the serving task, never cleaned up.
Each request sees its own user, but the dict gains an entry for every request the server
ever answers, keyed by a number that the next tasks reuse."""

import asyncio

import httpx
from django.http import JsonResponse

PROFILE_SERVICE = "http://profiles.example/profile"
ORDER_SERVICE = "http://orders.example/recent"

_users = {}


def current_user():
    return _users[id(asyncio.current_task())]


async def fetch_profile(client):
    response = await client.get(PROFILE_SERVICE, params={"user": current_user()})
    response.raise_for_status()
    return response.json()


async def fetch_orders(client):
    response = await client.get(ORDER_SERVICE, params={"user": current_user()})
    response.raise_for_status()
    return response.json()["orders"]


async def account(request):
    _users[id(asyncio.current_task())] = request.headers.get("X-User", "anonymous")
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            profile = await fetch_profile(client)
            orders = await fetch_orders(client)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": "account unavailable"}, status=502)
    return JsonResponse({"user": current_user(), "name": profile["name"], "orders": orders})
