"""Wrong: cuts the name to 24 characters "to keep the banner tidy": a long name is greeted
half-way."""

from django.http import JsonResponse


async def welcome(request):
    name = request.GET.get("name", "friend")[:24]
    return JsonResponse({"message": f"Welcome aboard, {name}!"})
