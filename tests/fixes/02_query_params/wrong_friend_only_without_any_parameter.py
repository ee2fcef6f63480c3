"""Wrong: greets a friend only when the link has no parameters at all: a shared link with
?utm_source= but no name is still a 500."""

from django.http import JsonResponse


async def welcome(request):
    name = request.GET["name"] if request.GET else "friend"
    return JsonResponse({"message": f"Welcome aboard, {name}!"})
