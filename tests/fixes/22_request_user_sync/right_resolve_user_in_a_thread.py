"""Right: resolves the lazy request.user in a thread with sync_to_async; afterwards the
user is loaded, and reading its fields runs no query."""

from asgiref.sync import sync_to_async
from django.http import JsonResponse


async def whoami(request):
    is_authenticated = await sync_to_async(lambda: request.user.is_authenticated)()
    if not is_authenticated:
        return JsonResponse({"authenticated": False})

    user = request.user
    return JsonResponse(
        {"authenticated": True, "username": user.username, "name": user.get_full_name()}
    )
