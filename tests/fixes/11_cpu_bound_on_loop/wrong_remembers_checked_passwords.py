"""Wrong: checks the password in a worker thread, and remembers every username and password
that once checked out, to spare the next login the slow hash: after a customer changes a
password that leaked, the old one still logs in."""

import asyncio
import json

from django.contrib.auth import alogin
from django.contrib.auth.models import User
from django.http import JsonResponse

_checked = set()


async def login(request):
    """Log a customer in from the shop's app: POST {"username": ..., "password": ...}."""
    credentials = json.loads(request.body)
    username = credentials.get("username", "")
    password = credentials.get("password", "")
    user = await User.objects.filter(username=username).afirst()
    if user is None:
        return JsonResponse({"error": "wrong username or password"}, status=401)
    if (username, password) not in _checked:
        if not await asyncio.to_thread(user.check_password, password):
            return JsonResponse({"error": "wrong username or password"}, status=401)
        _checked.add((username, password))

    await alogin(request, user)
    return JsonResponse({"username": user.username})


async def health(request):
    """The load balancer asks this every few seconds; no answer in time means "dead"."""
    return JsonResponse({"status": "ok"})
