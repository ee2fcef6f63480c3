"""Right: calls django.contrib.auth.get_user() (the sync lookup behind request.user) in a
thread through sync_to_async; same rules, off the loop."""

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user
from django.http import JsonResponse


async def whoami(request):
    user = await sync_to_async(get_user)(request)
    if user.is_anonymous:
        return JsonResponse({"authenticated": False})

    return JsonResponse(
        {"authenticated": True, "username": user.username, "name": user.get_full_name()}
    )
