import threading

import httpx
from django.http import JsonResponse

PROFILE_SERVICE = "http://profiles.example/profile"
ORDER_SERVICE = "http://orders.example/recent"

# Who the current request is for: set once per request, read wherever it is needed, so that
# the helpers need not pass the user around. It served us well in the old sync app.
# TODO: in the sync app, each request had a thread of its own. Which thread runs each
# request of an async view, and who else can change this value while a request awaits?
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
    _request_state.user = request.headers.get("X-User", "anonymous")
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            profile = await fetch_profile(client)
            orders = await fetch_orders(client)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": "your account is unavailable right now"}, status=502)
    return JsonResponse({"user": current_user(), "name": profile["name"], "orders": orders})
