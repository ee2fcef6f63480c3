"""Right: lets Django's auth backends check the credentials with aauthenticate, which runs
the hasher in a worker thread (and hashes even for an unknown username, so the answer takes
as long either way); only a user it returns is logged in."""

import json

from django.contrib.auth import aauthenticate, alogin
from django.http import JsonResponse


async def login(request):
    """Log a customer in from the shop's app: POST {"username": ..., "password": ...}."""
    credentials = json.loads(request.body)
    user = await aauthenticate(
        request,
        username=credentials.get("username", ""),
        password=credentials.get("password", ""),
    )
    if user is None:
        return JsonResponse({"error": "wrong username or password"}, status=401)

    await alogin(request, user)
    return JsonResponse({"username": user.username})


async def health(request):
    """The load balancer asks this every few seconds; no answer in time means "dead"."""
    return JsonResponse({"status": "ok"})
