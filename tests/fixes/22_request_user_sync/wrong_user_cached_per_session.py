"""Wrong: awaits request.auser(), but keeps each session's user in a module-level dict to
spare the queries next time. A user deactivated, or whose password changed, after the first
request is greeted for ever."""

from django.http import JsonResponse

USERS_BY_SESSION = {}


async def whoami(request):
    key = request.COOKIES.get("sessionid")
    user = USERS_BY_SESSION.get(key)
    if user is None:
        user = await request.auser()
        if key is not None and user.is_authenticated:
            USERS_BY_SESSION[key] = user
    if not user.is_authenticated:
        return JsonResponse({"authenticated": False})

    return JsonResponse(
        {"authenticated": True, "username": user.username, "name": user.get_full_name()}
    )
