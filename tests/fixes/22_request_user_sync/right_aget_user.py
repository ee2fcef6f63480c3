"""Right: django.contrib.auth.aget_user() is the awaitable lookup behind request.auser():
it reads the session and the user without blocking the loop."""

from django.contrib.auth import aget_user
from django.http import JsonResponse


async def whoami(request):
    user = await aget_user(request)
    if not user.is_authenticated:
        return JsonResponse({"authenticated": False})

    return JsonResponse(
        {"authenticated": True, "username": user.username, "name": user.get_full_name()}
    )
