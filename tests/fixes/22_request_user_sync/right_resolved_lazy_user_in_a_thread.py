"""Right: the lazy request.user is resolved inside the thread (is_authenticated reads it
there), so what comes back to the loop is the user itself, with nothing left to load."""

from asgiref.sync import sync_to_async
from django.http import JsonResponse


def resolved_user(request):
    user = request.user
    user.is_authenticated
    return user


async def whoami(request):
    user = await sync_to_async(resolved_user)(request)
    if not user.is_authenticated:
        return JsonResponse({"authenticated": False})
    return JsonResponse(
        {"authenticated": True, "username": user.username, "name": user.get_full_name()}
    )
