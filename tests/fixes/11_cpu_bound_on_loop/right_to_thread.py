"""Right: runs the sync check_password in a worker thread with asyncio.to_thread; the hash
runs there (hashlib lets go of the GIL meanwhile) and the loop keeps serving the others."""

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
    if user is None or not await asyncio.to_thread(user.check_password, password):
        return JsonResponse({"error": "wrong username or password"}, status=401)

    await alogin(request, user)
    return JsonResponse({"username": user.username})


async def health(request):
    """The load balancer asks this every few seconds; no answer in time means "dead"."""
    return JsonResponse({"status": "ok"})
