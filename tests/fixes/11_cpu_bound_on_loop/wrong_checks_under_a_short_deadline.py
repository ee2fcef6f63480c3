"""Wrong: gives the password check 50 ms "so no login can hold the site": the slow hasher
takes longer, so the right password is refused."""

import asyncio
import json

from django.contrib.auth import alogin
from django.contrib.auth.models import User
from django.http import JsonResponse


async def login(request):
    """Log a customer in from the shop's app: POST {"username": ..., "password": ...}."""
    credentials = json.loads(request.body)
    user = await User.objects.filter(username=credentials.get("username", "")).afirst()
    password = credentials.get("password", "")
    try:
        right = user is not None and await asyncio.wait_for(user.acheck_password(password), 0.05)
    except TimeoutError:
        right = False
    if not right:
        return JsonResponse({"error": "wrong username or password"}, status=401)

    await alogin(request, user)
    return JsonResponse({"username": user.username})


async def health(request):
    """The load balancer asks this every few seconds; no answer in time means "dead"."""
    return JsonResponse({"status": "ok"})
