"""Right: hands the check to the loop's default thread pool with run_in_executor (and a
partial for its argument), awaits the verdict, and only then opens the session."""

import asyncio
import functools
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
    check = functools.partial(user.check_password, credentials.get("password", ""))
    if not await asyncio.get_running_loop().run_in_executor(None, check):
        return JsonResponse({"error": "wrong username or password"}, status=401)

    await alogin(request, user)
    return JsonResponse({"username": user.username})


async def health(request):
    """The load balancer asks this every few seconds; no answer in time means "dead"."""
    return JsonResponse({"status": "ok"})
