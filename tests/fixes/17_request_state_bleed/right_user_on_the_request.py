"""Right: the user travels on the request object itself, which every helper is handed;
it lives exactly as long as the request does."""

import httpx
from django.http import JsonResponse

PROFILE_SERVICE = "http://profiles.example/profile"
ORDER_SERVICE = "http://orders.example/recent"


async def fetch_profile(client, request):
    response = await client.get(PROFILE_SERVICE, params={"user": request.account_user})
    response.raise_for_status()
    return response.json()


async def fetch_orders(client, request):
    response = await client.get(ORDER_SERVICE, params={"user": request.account_user})
    response.raise_for_status()
    return response.json()["orders"]


async def account(request):
    request.account_user = request.headers.get("X-User", "anonymous")
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            profile = await fetch_profile(client, request)
            orders = await fetch_orders(client, request)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": "your account is unavailable right now"}, status=502)
    return JsonResponse({"user": request.account_user, "name": profile["name"], "orders": orders})
