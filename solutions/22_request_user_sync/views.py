from django.http import JsonResponse


async def whoami(request):
    # request.user is lazy: its first use reads the session and the user from the
    # database, synchronously. request.auser() does the same lookups awaited.
    user = await request.auser()
    if not user.is_authenticated:
        return JsonResponse({"authenticated": False})

    return JsonResponse(
        {"authenticated": True, "username": user.username, "name": user.get_full_name()}
    )
