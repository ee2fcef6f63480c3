"""Wrong: a ContextVar for the user, right; but the rewrite handles only an error status from
the services: a refused, slow or dropped connection or a broken body is a 500."""

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
    _current_user.set(request.headers.get("X-User", "anonymous"))
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            profile = await fetch_profile(client)
            orders = await fetch_orders(client)
    except httpx.HTTPStatusError:
        return JsonResponse({"error": "account unavailable"}, status=502)
    return JsonResponse({"user": current_user(), "name": profile["name"], "orders": orders})
