"""Wrong: moves the check into an `async def` helper and awaits it. Awaiting a coroutine
does not move its work off the loop: the hash still runs on the loop's thread."""

import json

from django.contrib.auth import alogin
from django.contrib.auth.models import User
from django.http import JsonResponse


async def password_matches(user, password):
    return user.check_password(password)


async def login(request):
    """Log a customer in from the shop's app: POST {"username": ..., "password": ...}."""
    credentials = json.loads(request.body)
    user = await User.objects.filter(username=credentials.get("username", "")).afirst()
    if user is None or not await password_matches(user, credentials.get("password", "")):
        return JsonResponse({"error": "wrong username or password"}, status=401)

    await alogin(request, user)
    return JsonResponse({"username": user.username})


async def health(request):
    """The load balancer asks this every few seconds; no answer in time means "dead"."""
    return JsonResponse({"status": "ok"})
