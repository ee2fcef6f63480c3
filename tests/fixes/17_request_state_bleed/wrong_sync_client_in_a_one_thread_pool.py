"""Wrong: keeps the thread-local and runs the whole page in a worker thread, on an executor
with a single thread so that the thread-local "stays put": each request now sees its own
user, but the requests queue for that one thread."""

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from django.http import JsonResponse

PROFILE_SERVICE = "http://profiles.example/profile"
ORDER_SERVICE = "http://orders.example/recent"

_request_state = threading.local()
_worker = ThreadPoolExecutor(max_workers=1)


def current_user():
    return _request_state.user


def load_page(user):
    _request_state.user = user
    with httpx.Client(timeout=5) as client:
        profile = client.get(PROFILE_SERVICE, params={"user": current_user()})
        profile.raise_for_status()
        orders = client.get(ORDER_SERVICE, params={"user": current_user()})
        orders.raise_for_status()
    return {
        "user": current_user(),
        "name": profile.json()["name"],
        "orders": orders.json()["orders"],
    }


async def account(request):
    user = request.headers.get("X-User", "anonymous")
    loop = asyncio.get_running_loop()
    try:
        page = await loop.run_in_executor(_worker, load_page, user)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": "account unavailable"}, status=502)
    return JsonResponse(page)
