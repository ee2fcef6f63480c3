"""Wrong: request state in a module dict keyed by the request object itself, looked up by
the helpers through the request; correct answers, but every request ever served stays in
memory."""

import httpx
from django.http import JsonResponse

PROFILE_SERVICE = "http://profiles.example/profile"
ORDER_SERVICE = "http://orders.example/recent"

_state = {}


async def fetch_profile(client, request):
    response = await client.get(PROFILE_SERVICE, params={"user": _state[request]})
    response.raise_for_status()
    return response.json()


async def fetch_orders(client, request):
    response = await client.get(ORDER_SERVICE, params={"user": _state[request]})
    response.raise_for_status()
    return response.json()["orders"]


async def account(request):
    _state[request] = request.headers.get("X-User", "anonymous")
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            profile = await fetch_profile(client, request)
            orders = await fetch_orders(client, request)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": "account unavailable"}, status=502)
    return JsonResponse({"user": _state[request], "name": profile["name"], "orders": orders})
