"""Wrong: checks the password off the loop, then runs Django's sync login() through
sync_to_async(thread_sensitive=False): the session is saved from a pool thread, on a
database connection nothing closes."""

import json

from asgiref.sync import sync_to_async
from django.contrib.auth import login as django_login
from django.contrib.auth.models import User
from django.http import JsonResponse


async def login(request):
    credentials = json.loads(request.body)
    user = await User.objects.filter(username=credentials.get("username", "")).afirst()
    if user is None or not await user.acheck_password(credentials.get("password", "")):
        return JsonResponse({"error": "wrong username or password"}, status=401)
    await sync_to_async(django_login, thread_sensitive=False)(request, user)
    return JsonResponse({"username": user.username})


async def health(request):
    return JsonResponse({"status": "ok"})
