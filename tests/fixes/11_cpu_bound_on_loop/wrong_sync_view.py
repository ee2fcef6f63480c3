"""Wrong: turns login into a plain def view, so that Django runs it in a worker thread and the
hash no longer holds the loop. The health checks answer, but the kata's view is no longer
async (every login now costs a thread for its whole length, database calls included)."""

import json

from django.contrib.auth import login as django_login
from django.contrib.auth.models import User
from django.http import JsonResponse


def login(request):
    """Log a customer in from the shop's app: POST {"username": ..., "password": ...}."""
    credentials = json.loads(request.body)
    user = User.objects.filter(username=credentials.get("username", "")).first()
    if user is None or not user.check_password(credentials.get("password", "")):
        return JsonResponse({"error": "wrong username or password"}, status=401)

    django_login(request, user)
    return JsonResponse({"username": user.username})


async def health(request):
    """The load balancer asks this every few seconds; no answer in time means "dead"."""
    return JsonResponse({"status": "ok"})
