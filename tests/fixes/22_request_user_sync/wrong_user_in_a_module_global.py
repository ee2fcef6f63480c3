"""Wrong: awaits request.auser(), but hands the user to the rest of the view through a
module-level dict; customers asking at the same moment get each other's names."""

import asyncio

from django.http import JsonResponse

CURRENT = {}


async def load(request):
    CURRENT["user"] = await request.auser()


async def whoami(request):
    await load(request)
    await asyncio.sleep(0.01)  # "log the visit"
    user = CURRENT["user"]
    if not user.is_authenticated:
        return JsonResponse({"authenticated": False})
    return JsonResponse(
        {"authenticated": True, "username": user.username, "name": user.get_full_name()}
    )
