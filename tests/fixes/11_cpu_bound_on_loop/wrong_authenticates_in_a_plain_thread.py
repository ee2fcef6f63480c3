"""Wrong: runs the whole of authenticate() in a worker thread with asyncio.to_thread: the
loop stays free, but the database connection that thread opens for the user's row is never
closed (no request cycle closes a plain worker thread's connections)."""

import asyncio
import json

from django.contrib.auth import alogin, authenticate
from django.http import JsonResponse


async def login(request):
    """Log a customer in from the shop's app: POST {"username": ..., "password": ...}."""
    credentials = json.loads(request.body)
    user = await asyncio.to_thread(
        authenticate,
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
