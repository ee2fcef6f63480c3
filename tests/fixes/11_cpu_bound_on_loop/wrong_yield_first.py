"""Wrong: awaits asyncio.sleep(0) before the check, to "let the others go first". That gives
the loop back for an instant only: the check itself still holds the loop all along."""

import asyncio
import json

from django.contrib.auth import alogin
from django.contrib.auth.models import User
from django.http import JsonResponse


async def login(request):
    """Log a customer in from the shop's app: POST {"username": ..., "password": ...}."""
    credentials = json.loads(request.body)
    user = await User.objects.filter(username=credentials.get("username", "")).afirst()
    await asyncio.sleep(0)
    if user is None or not user.check_password(credentials.get("password", "")):
        return JsonResponse({"error": "wrong username or password"}, status=401)

    await alogin(request, user)
    return JsonResponse({"username": user.username})


async def health(request):
    """The load balancer asks this every few seconds; no answer in time means "dead"."""
    return JsonResponse({"status": "ok"})
