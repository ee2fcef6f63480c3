"""Wrong: keeps threading.local and puts the request's user back after each await: the pages
come out right, but the last user stays on the loop's thread for whatever runs next."""

import threading

import httpx
from django.http import JsonResponse

PROFILE_SERVICE = "http://profiles.example/profile"
ORDER_SERVICE = "http://orders.example/recent"

_request_state = threading.local()


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
    # The auth gateway in front of the app puts the signed-in user in this header.
    user = request.headers.get("X-User", "anonymous")
    _request_state.user = user
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            profile = await fetch_profile(client)
            # Another request may have run while we awaited: put our user back first.
            _request_state.user = user
            orders = await fetch_orders(client)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": "your account is unavailable right now"}, status=502)
    _request_state.user = user
    return JsonResponse({"user": current_user(), "name": profile["name"], "orders": orders})
