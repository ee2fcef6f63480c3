"""Wrong: request.user fetched through sync_to_async, but it is a lazy object: the thread hands
it back unresolved, and its first use, on the loop, runs the session and user queries."""

from asgiref.sync import sync_to_async
from django.http import JsonResponse


async def whoami(request):
    user = await sync_to_async(lambda: request.user)()
    if not user.is_authenticated:
        return JsonResponse({"authenticated": False})
    return JsonResponse(
        {"authenticated": True, "username": user.username, "name": user.get_full_name()}
    )
