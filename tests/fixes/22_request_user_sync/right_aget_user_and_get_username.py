"""Right: django.contrib.auth.aget_user(), with the answer built up from a dict and the
username read through get_username()."""

from django.contrib.auth import aget_user
from django.http import JsonResponse


async def whoami(request):
    user = await aget_user(request)
    answer = {"authenticated": user.is_authenticated}
    if user.is_authenticated:
        answer |= {"username": user.get_username(), "name": user.get_full_name()}
    return JsonResponse(answer)
