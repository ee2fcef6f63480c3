"""Right: one shared sync httpx.Client (thread-safe), each call run by sync_to_async in a
thread of its own (thread_sensitive=False), so requests overlap and the loop stays free."""

import httpx
from asgiref.sync import sync_to_async
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"

client = httpx.Client(timeout=5)
get = sync_to_async(client.get, thread_sensitive=False)


async def forecast(request):
    city = request.GET.get("city", "Oslo")
    try:
        response = await get(WEATHER_SERVICE, params={"city": city})
        weather = response.raise_for_status().json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"city": city, "error": "No forecast available."}, status=502)
    return JsonResponse({"city": city, **weather})
