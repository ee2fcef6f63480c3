"""Wrong: passes the user to the helpers (no shared state at all), but only the order
call is guarded: when the profile service fails, the account page is a 500."""

import httpx
from django.http import JsonResponse

PROFILE_SERVICE = "http://profiles.example/profile"
ORDER_SERVICE = "http://orders.example/recent"


async def fetch_profile(client, user):
    response = await client.get(PROFILE_SERVICE, params={"user": user})
    response.raise_for_status()
    return response.json()


async def fetch_orders(client, user):
    response = await client.get(ORDER_SERVICE, params={"user": user})
    response.raise_for_status()
    return response.json()["orders"]


async def account(request):
    user = request.headers.get("X-User", "anonymous")
    async with httpx.AsyncClient(timeout=5) as client:
        profile = await fetch_profile(client, user)
        try:
            orders = await fetch_orders(client, user)
        except (httpx.HTTPError, ValueError):
            return JsonResponse({"error": "your orders are unavailable right now"}, status=502)
    return JsonResponse({"user": user, "name": profile["name"], "orders": orders})
