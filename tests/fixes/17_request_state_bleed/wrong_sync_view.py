"""Wrong: turns the view back into a plain def view with a sync client; Django then runs each
request in a thread of its own and the thread-local works again, but the view is no longer
async."""

import threading

import httpx
from django.http import JsonResponse

PROFILE_SERVICE = "http://profiles.example/profile"
ORDER_SERVICE = "http://orders.example/recent"

_request_state = threading.local()


def current_user():
    return _request_state.user


def account(request):
    _request_state.user = request.headers.get("X-User", "anonymous")
    try:
        with httpx.Client(timeout=5) as client:
            profile = client.get(PROFILE_SERVICE, params={"user": current_user()}).json()
            orders = client.get(ORDER_SERVICE, params={"user": current_user()}).json()["orders"]
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": "account unavailable"}, status=502)
    return JsonResponse({"user": current_user(), "name": profile["name"], "orders": orders})
