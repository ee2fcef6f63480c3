"""Wrong: request.user resolved in asyncio.to_thread: the loop is free, but every request opens
a database connection on a thread of the default executor, which nothing ever closes."""

import asyncio

from django.http import JsonResponse


def _whoami(request):
    user = request.user
    if not user.is_authenticated:
        return {"authenticated": False}
    return {"authenticated": True, "username": user.username, "name": user.get_full_name()}


async def whoami(request):
    # The session and user lookups are sync: run them in a worker thread.
    return JsonResponse(await asyncio.to_thread(_whoami, request))
