"""Wrong: opens the session first ("the app needs the cookie quickly") and checks the password
in a worker thread afterwards, answering 401 when it is wrong. The 401 still carries the
session cookie of the logged-in customer."""

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

    await alogin(request, user)
    if not await asyncio.to_thread(user.check_password, credentials.get("password", "")):
        return JsonResponse({"error": "wrong username or password"}, status=401)
    return JsonResponse({"username": user.username})


async def health(request):
    """The load balancer asks this every few seconds; no answer in time means "dead"."""
    return JsonResponse({"status": "ok"})
