"""Wrong: reads the user id from the session and checks is_active by hand. It catches a
deactivated account, but not the rest of Django's rules: a session opened before a password
change (which Django logs out) still greets the user."""

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.http import JsonResponse


async def whoami(request):
    user_id = await request.session.aget(SESSION_KEY)
    user = await User.objects.filter(pk=user_id, is_active=True).afirst() if user_id else None
    if user is None:
        return JsonResponse({"authenticated": False})

    return JsonResponse(
        {"authenticated": True, "username": user.username, "name": user.get_full_name()}
    )
