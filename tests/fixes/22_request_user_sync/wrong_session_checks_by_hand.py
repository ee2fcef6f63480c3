"""Wrong: rebuilds Django's login check from the session by hand (is_active and the password
hash), but a user deleted since logging in is a 500 (DoesNotExist), not anonymous."""

from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.http import JsonResponse
from django.utils.crypto import constant_time_compare


async def whoami(request):
    uid = await request.session.aget(SESSION_KEY)
    if uid is None:
        return JsonResponse({"authenticated": False})
    user = await User.objects.aget(pk=uid)
    if not user.is_active or not constant_time_compare(
        await request.session.aget(HASH_SESSION_KEY, ""), user.get_session_auth_hash()
    ):
        return JsonResponse({"authenticated": False})
    return JsonResponse(
        {"authenticated": True, "username": user.username, "name": user.get_full_name()}
    )
