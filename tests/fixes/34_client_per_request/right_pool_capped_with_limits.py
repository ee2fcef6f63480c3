"""Right: one shared client whose pool is capped (httpx.Limits): at most four connections to
the weather service at once, two kept open between requests."""

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"

client = httpx.AsyncClient(
    timeout=5, limits=httpx.Limits(max_connections=4, max_keepalive_connections=2)
)


async def forecast(request):
    city = request.GET.get("city", "Oslo")
    try:
        response = await client.get(WEATHER_SERVICE, params={"city": city})
        weather = response.raise_for_status().json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"city": city, "error": "No forecast available."}, status=502)
    return JsonResponse({"city": city, **weather})
