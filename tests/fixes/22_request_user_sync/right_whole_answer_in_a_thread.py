"""Right: the whole answer comes from a sync helper that reads request.user, run in a thread
through sync_to_async."""

from asgiref.sync import sync_to_async
from django.http import JsonResponse


def who(request):
    user = request.user
    if not user.is_authenticated:
        return {"authenticated": False}
    return {"authenticated": True, "username": user.username, "name": user.get_full_name()}


async def whoami(request):
    return JsonResponse(await sync_to_async(who)(request))
