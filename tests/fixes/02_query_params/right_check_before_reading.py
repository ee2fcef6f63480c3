"""Right: checks whether the link carries a name before reading it, and falls back to a
friendly default otherwise."""

from django.http import JsonResponse


async def welcome(request):
    name = request.GET["name"] if "name" in request.GET else "friend"
    return JsonResponse({"message": f"Welcome aboard, {name}!"})
