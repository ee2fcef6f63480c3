"""Right: a ContextVar set once per request and never reset: each request's task has a copy
of the context of its own, which goes away with the task."""

import contextvars

import httpx
from django.http import JsonResponse

PROFILE_SERVICE = "http://profiles.example/profile"
ORDER_SERVICE = "http://orders.example/recent"

# Who the current request is for: set once per request, read wherever it is needed.
# threading.local keeps one value per thread, and every request of an async view runs on
# the event loop's one thread: while one request awaited, the next overwrote its user.
# A ContextVar keeps one value per context, and each request runs in a task of its own,
# with its own copy of the context: what one request sets, no other request sees.
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
    # The auth gateway in front of the app puts the signed-in user in this header.
    _current_user.set(request.headers.get("X-User", "anonymous"))
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            profile = await fetch_profile(client)
            orders = await fetch_orders(client)
        return JsonResponse({"user": current_user(), "name": profile["name"], "orders": orders})
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": "your account is unavailable right now"}, status=502)
