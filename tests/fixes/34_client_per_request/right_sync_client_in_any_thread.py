"""Right: one shared sync httpx.Client for the process (it is thread-safe), each call made
through sync_to_async(thread_sensitive=False): any free worker thread waits for the weather
service, the event loop stays free, and the calls overlap. No ORM here, so no thread needs
to be Django's one."""

import httpx
from asgiref.sync import sync_to_async
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"

client = httpx.Client(timeout=5)
fetch = sync_to_async(client.get, thread_sensitive=False)


async def forecast(request):
    city = request.GET.get("city", "Oslo")
    try:
        response = await fetch(WEATHER_SERVICE, params={"city": city})
        response.raise_for_status()
        weather = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"city": city, "error": "No forecast available."}, status=502)
    return JsonResponse({"city": city, **weather})
