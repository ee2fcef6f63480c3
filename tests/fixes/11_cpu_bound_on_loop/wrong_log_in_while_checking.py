"""Wrong: checks the password in a worker thread and, to save time, opens the session at the
same time with asyncio.gather. The loop stays free, but the customer is logged in before
anyone knows the password was right: a wrong password gets 401 and a session cookie that
works."""

import asyncio
import json

from django.contrib.auth import alogin
from django.contrib.auth.models import User
from django.http import JsonResponse


async def login(request):
    """Log a customer in from the shop's app: POST {"username": ..., "password": ...}."""
    credentials = json.loads(request.body)
    user = await User.objects.filter(username=credentials.get("username", "")).afirst()
    if user is None:
        return JsonResponse({"error": "wrong username or password"}, status=401)

    password = credentials.get("password", "")
    matches, _ = await asyncio.gather(
        asyncio.to_thread(user.check_password, password), alogin(request, user)
    )
    if not matches:
        return JsonResponse({"error": "wrong username or password"}, status=401)
    return JsonResponse({"username": user.username})


async def health(request):
    """The load balancer asks this every few seconds; no answer in time means "dead"."""
    return JsonResponse({"status": "ok"})
