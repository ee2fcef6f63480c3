"""Wrong: awaits request.auser() once, then keeps the answer in the session: a user
deactivated or whose password changed since is greeted for ever."""

from django.http import JsonResponse


async def whoami(request):
    cached = await request.session.aget("whoami")
    if cached is None:
        user = await request.auser()
        if not user.is_authenticated:
            return JsonResponse({"authenticated": False})
        cached = {"authenticated": True, "username": user.username, "name": user.get_full_name()}
        await request.session.aset("whoami", cached)
    return JsonResponse(cached)
