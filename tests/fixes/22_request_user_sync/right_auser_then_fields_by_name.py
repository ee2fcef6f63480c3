"""Right: awaits request.auser() and builds the greeting from the user's own accessors
(get_username, get_full_name); an AnonymousUser is never authenticated."""

from django.http import JsonResponse


async def whoami(request):
    user = await request.auser()
    answer = {"authenticated": user.is_authenticated}
    if user.is_authenticated:
        answer |= {"username": user.get_username(), "name": user.get_full_name()}
    return JsonResponse(answer)
