"""Wrong: checks the password in a worker thread, but looks the customer up with the sync ORM
through sync_to_async(thread_sensitive=False): each lookup opens a database connection in a
pool thread, where nothing ever closes it."""

import json

from asgiref.sync import sync_to_async
from django.contrib.auth import alogin
from django.contrib.auth.models import User
from django.http import JsonResponse


def find_user(username):
    return User.objects.filter(username=username).first()


async def login(request):
    credentials = json.loads(request.body)
    user = await sync_to_async(find_user, thread_sensitive=False)(credentials.get("username", ""))
    if user is None or not await user.acheck_password(credentials.get("password", "")):
        return JsonResponse({"error": "wrong username or password"}, status=401)
    await alogin(request, user)
    return JsonResponse({"username": user.username})


async def health(request):
    return JsonResponse({"status": "ok"})
