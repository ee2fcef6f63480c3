"""Wrong: hashes the typed password in a thread and compares it with the stored hash: a fresh
salt makes every hash different, so no password is ever right."""

import json

from asgiref.sync import sync_to_async
from django.contrib.auth import alogin
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.http import JsonResponse


async def login(request):
    """Log a customer in from the shop's app: POST {"username": ..., "password": ...}."""
    credentials = json.loads(request.body)
    user = await User.objects.filter(username=credentials.get("username", "")).afirst()
    password = credentials.get("password", "")
    if user is None or await sync_to_async(make_password)(password) != user.password:
        return JsonResponse({"error": "wrong username or password"}, status=401)

    await alogin(request, user)
    return JsonResponse({"username": user.username})


async def health(request):
    """The load balancer asks this every few seconds; no answer in time means "dead"."""
    return JsonResponse({"status": "ok"})
