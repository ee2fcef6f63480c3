"""Right: auser(), an is_active check on top, and the full name joined from its non-empty
parts: the same name as get_full_name(), built another way."""

from django.http import JsonResponse


async def whoami(request):
    user = await request.auser()
    # Only active users count as logged in.
    if not user.is_authenticated or not user.is_active:
        return JsonResponse({"authenticated": False})
    # The header shows the name as the user typed it at sign-up.
    name = " ".join(part for part in (user.first_name, user.last_name) if part)
    return JsonResponse({"authenticated": True, "username": user.username, "name": name})
