"""Right: one shared client, made lazily by the first request that needs it (functools.cache)
and reused by every request after it."""

import functools

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"


@functools.cache
def weather_client():
    return httpx.AsyncClient(timeout=5)


async def forecast(request):
    city = request.GET.get("city", "Oslo")
    try:
        response = await weather_client().get(WEATHER_SERVICE, params={"city": city})
        response.raise_for_status()
        weather = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"city": city, "error": "No forecast available."}, status=502)
    return JsonResponse({"city": city, **weather})
