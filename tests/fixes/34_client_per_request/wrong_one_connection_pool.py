"""Wrong: one shared client, but its pool is capped at a single connection "to be gentle
with the weather service": requests sent together queue for that one connection."""

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"

client = httpx.AsyncClient(
    timeout=5, limits=httpx.Limits(max_connections=1, max_keepalive_connections=1)
)


async def forecast(request):
    city = request.GET.get("city", "Oslo")
    try:
        response = await client.get(WEATHER_SERVICE, params={"city": city})
        response.raise_for_status()
        weather = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"city": city, "error": "No forecast available."}, status=502)
    return JsonResponse({"city": city, **weather})
