"""Wrong: awaits request.auser(), but glues the name by hand, f"{first} {last}": a user with
no surname is greeted as "Ana ", with a trailing space, not by their full name."""

from django.http import JsonResponse


async def whoami(request):
    # request.user is lazy: its first use reads the session and the user from the
    # database, synchronously. request.auser() does the same lookups awaited.
    user = await request.auser()
    if not user.is_authenticated:
        return JsonResponse({"authenticated": False})

    return JsonResponse(
        {
            "authenticated": True,
            "username": user.username,
            "name": f"{user.first_name} {user.last_name}",
        }
    )
