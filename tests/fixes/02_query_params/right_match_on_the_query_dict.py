"""Right: turns the query into a plain dict (last value wins, as QueryDict.get does) and
matches on it, greeting a friend when no name is there."""

from django.http import JsonResponse


async def welcome(request):
    match request.GET.dict():
        case {"name": name}:
            greeting = name
        case _:
            greeting = "friend"
    return JsonResponse({"message": f"Welcome aboard, {greeting}!"})
