"""Right: asgiref's Local, a drop-in for threading.local that keeps its values per context
(per request task) when used from async code, so no request sees another's user."""

import httpx
from asgiref.local import Local
from django.http import JsonResponse

PROFILE_SERVICE = "http://profiles.example/profile"
ORDER_SERVICE = "http://orders.example/recent"

_request_state = Local()


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
    _request_state.user = request.headers.get("X-User", "anonymous")
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            profile = await fetch_profile(client)
            orders = await fetch_orders(client)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": "account unavailable"}, status=502)
    return JsonResponse({"user": current_user(), "name": profile["name"], "orders": orders})
