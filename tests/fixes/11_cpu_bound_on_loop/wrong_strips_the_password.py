"""Wrong: checks the password off the loop, but "cleans up" what was typed first: a password
with a stray space at the end, which is not the customer's, logs in."""

import json

from django.contrib.auth import alogin
from django.contrib.auth.models import User
from django.http import JsonResponse


async def login(request):
    """Log a customer in from the shop's app: POST {"username": ..., "password": ...}."""
    credentials = json.loads(request.body)
    user = await User.objects.filter(username=credentials.get("username", "")).afirst()
    # A password hasher burns CPU on purpose (a fraction of a second per check), and CPU work
    # never awaits: on the event loop it stops every other request until it is done.
    # acheck_password runs the hasher in a worker thread and awaits it; hashlib lets go of
    # the GIL meanwhile, so the loop keeps serving the others.
    if user is None or not await user.acheck_password(credentials.get("password", "").strip()):
        return JsonResponse({"error": "wrong username or password"}, status=401)

    await alogin(request, user)
    return JsonResponse({"username": user.username})


async def health(request):
    """The load balancer asks this every few seconds; no answer in time means "dead"."""
    return JsonResponse({"status": "ok"})
