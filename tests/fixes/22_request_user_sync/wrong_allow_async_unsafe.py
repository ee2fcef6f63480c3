"""Wrong: DJANGO_ALLOW_ASYNC_UNSAFE silences Django's guard; the session and user queries
behind request.user still run synchronously on the event loop."""

import os

from django.http import JsonResponse

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


async def whoami(request):
    if not request.user.is_authenticated:
        return JsonResponse({"authenticated": False})

    user = request.user
    return JsonResponse(
        {"authenticated": True, "username": user.username, "name": user.get_full_name()}
    )
