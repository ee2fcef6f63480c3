"""Right: `or` falls back to "friend" when the name is missing (and when it is empty, which
the story leaves open)."""

from django.http import JsonResponse


async def welcome(request):
    name = request.GET.get("name") or "friend"
    return JsonResponse({"message": f"Welcome aboard, {name}!"})
