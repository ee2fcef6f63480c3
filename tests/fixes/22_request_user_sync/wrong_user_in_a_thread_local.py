"""Wrong: awaits request.auser(), but keeps the user in a threading.local across an await;
every request on the loop shares that thread, so customers asking at once swap names."""

import threading

from asgiref.sync import sync_to_async
from django.http import JsonResponse

_local = threading.local()


def log_visit(name):
    pass


async def whoami(request):
    _local.user = await request.auser()
    await sync_to_async(log_visit)(getattr(_local.user, "username", ""))
    user = _local.user
    if not user.is_authenticated:
        return JsonResponse({"authenticated": False})
    return JsonResponse(
        {"authenticated": True, "username": user.username, "name": user.get_full_name()}
    )
