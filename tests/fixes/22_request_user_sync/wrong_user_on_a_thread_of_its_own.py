"""Wrong: request.user resolved in sync_to_async(thread_sensitive=False): a thread of a
shared pool, not the request's, whose database connection stays open afterwards."""

from asgiref.sync import sync_to_async
from django.http import JsonResponse


def resolve(request):
    user = request.user
    return user.is_authenticated, user.get_username(), user.get_full_name()


async def whoami(request):
    authenticated, username, name = await sync_to_async(resolve, thread_sensitive=False)(request)
    if not authenticated:
        return JsonResponse({"authenticated": False})
    return JsonResponse({"authenticated": True, "username": username, "name": name})
