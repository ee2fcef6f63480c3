"""Wrong: reads the user id from the session and fetches the user itself, skipping Django's
checks (a deactivated account, a changed password): it still greets a locked-out user."""

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.http import JsonResponse


async def whoami(request):
    user_id = await request.session.aget(SESSION_KEY)
    if user_id is None:
        return JsonResponse({"authenticated": False})
    try:
        user = await User.objects.aget(pk=user_id)
    except User.DoesNotExist:
        return JsonResponse({"authenticated": False})

    return JsonResponse(
        {"authenticated": True, "username": user.username, "name": user.get_full_name()}
    )
