"""Wrong: keeps the thread-local and lets only one request in at a time with a lock; no
request sees another's user any more, because the requests no longer run together."""

import asyncio
import threading

import httpx
from django.http import JsonResponse

PROFILE_SERVICE = "http://profiles.example/profile"
ORDER_SERVICE = "http://orders.example/recent"

_request_state = threading.local()
_one_at_a_time = {}


def current_user():
    return _request_state.user


async def fetch_profile(client):
    response = await client.get(PROFILE_SERVICE, params={"user": current_user()})
    response.raise_for_status()
    return response.json()


async def fetch_orders(client):
    response = await client.get(ORDER_SERVICE, params={"user": current_user()})
    response.raise_for_status()
    return response.json()["orders"]


async def account(request):
    # One lock per event loop, so that the tests' fresh loops each get their own.
    lock = _one_at_a_time.setdefault(asyncio.get_running_loop(), asyncio.Lock())
    async with lock:
        _request_state.user = request.headers.get("X-User", "anonymous")
        try:
            async with httpx.AsyncClient(timeout=5) as client:
                profile = await fetch_profile(client)
                orders = await fetch_orders(client)
        except (httpx.HTTPError, ValueError):
            return JsonResponse({"error": "account unavailable"}, status=502)
        return JsonResponse({"user": current_user(), "name": profile["name"], "orders": orders})
