"""Right under a real ASGI server: sync_to_async (thread_sensitive=True by default) runs the
check in this request's own thread, since Django's ASGIHandler gives every request its
own ThreadSensitiveContext; the loop stays free."""

import json

from asgiref.sync import sync_to_async
from django.contrib.auth import alogin
from django.contrib.auth.models import User
from django.http import JsonResponse


async def login(request):
    """Log a customer in from the shop's app: POST {"username": ..., "password": ...}."""
    credentials = json.loads(request.body)
    user = await User.objects.filter(username=credentials.get("username", "")).afirst()
    password = credentials.get("password", "")
    if user is None or not await sync_to_async(user.check_password)(password):
        return JsonResponse({"error": "wrong username or password"}, status=401)

    await alogin(request, user)
    return JsonResponse({"username": user.username})


async def health(request):
    """The load balancer asks this every few seconds; no answer in time means "dead"."""
    return JsonResponse({"status": "ok"})
