from django.http import JsonResponse


async def whoami(request):
    # TODO: for a visitor this works. Who is request.user when a session cookie comes in?
    if not request.user.is_authenticated:
        return JsonResponse({"authenticated": False})

    user = request.user
    return JsonResponse(
        {"authenticated": True, "username": user.username, "name": user.get_full_name()}
    )
