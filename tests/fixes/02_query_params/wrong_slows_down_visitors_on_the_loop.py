"""Wrong: handles the missing name, but adds a "gentle" pause with time.sleep, which holds
the event loop and every other visitor's request with it."""

import time

from django.http import JsonResponse


async def welcome(request):
    time.sleep(0.1)
    name = request.GET.get("name", "friend")
    return JsonResponse({"message": f"Welcome aboard, {name}!"})
