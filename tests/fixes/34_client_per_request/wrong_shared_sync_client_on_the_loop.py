"""Wrong: one shared client, but a sync httpx.Client called on the event loop: every
request holds the loop for the whole round trip (a second bug, outside this kata's lesson:
only the harness's house rules catch it)."""

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"

client = httpx.Client(timeout=5)


async def forecast(request):
    city = request.GET.get("city", "Oslo")
    try:
        response = client.get(WEATHER_SERVICE, params={"city": city})
        response.raise_for_status()
        weather = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"city": city, "error": "No forecast available."}, status=502)
    return JsonResponse({"city": city, **weather})
