"""Wrong: a ContextVar for the user, but the orders are fetched with sync httpx in
run_in_executor, which does not carry the context over: the thread finds no user at all."""

import asyncio
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


def _orders_of_current_user():
    # The order service's client library is sync: run it beside the loop.
    response = httpx.get(ORDER_SERVICE, params={"user": current_user()}, timeout=5)
    response.raise_for_status()
    return response.json()["orders"]


async def fetch_orders(client):
    return await asyncio.get_running_loop().run_in_executor(None, _orders_of_current_user)


async def account(request):
    # The auth gateway in front of the app puts the signed-in user in this header.
    token = _current_user.set(request.headers.get("X-User", "anonymous"))
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            profile = await fetch_profile(client)
            orders = await fetch_orders(client)
        return JsonResponse({"user": current_user(), "name": profile["name"], "orders": orders})
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": "your account is unavailable right now"}, status=502)
    finally:
        # Leave the context as we found it, for whatever runs next in this task.
        _current_user.reset(token)
