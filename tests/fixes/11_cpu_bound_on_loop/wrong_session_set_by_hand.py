"""Wrong: checks the password off the loop, then logs the customer in by writing the user id
into the existing session by hand: the session key is never cycled (session fixation), and
the session carries no auth hash, so a password change does not log it out."""

import json

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.http import JsonResponse


async def login(request):
    credentials = json.loads(request.body)
    user = await User.objects.filter(username=credentials.get("username", "")).afirst()
    if user is None or not await user.acheck_password(credentials.get("password", "")):
        return JsonResponse({"error": "wrong username or password"}, status=401)
    await request.session.aset(SESSION_KEY, str(user.pk))
    return JsonResponse({"username": user.username})


async def health(request):
    return JsonResponse({"status": "ok"})
