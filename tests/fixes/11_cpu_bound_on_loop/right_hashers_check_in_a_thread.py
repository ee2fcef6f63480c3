"""Right: runs django.contrib.auth.hashers.check_password against the stored hash in a
worker thread and awaits it: the same slow hasher, off the loop."""

import json

from asgiref.sync import sync_to_async
from django.contrib.auth import alogin
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import User
from django.http import JsonResponse


async def login(request):
    """Log a customer in from the shop's app: POST {"username": ..., "password": ...}."""
    credentials = json.loads(request.body)
    user = await User.objects.filter(username=credentials.get("username", "")).afirst()
    password = credentials.get("password", "")
    if user is None or not await sync_to_async(check_password)(password, user.password):
        return JsonResponse({"error": "wrong username or password"}, status=401)

    await alogin(request, user)
    return JsonResponse({"username": user.username})


async def health(request):
    """The load balancer asks this every few seconds; no answer in time means "dead"."""
    return JsonResponse({"status": "ok"})
