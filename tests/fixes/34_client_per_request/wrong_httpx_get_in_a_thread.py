"""Wrong: no AsyncClient at all, httpx.get() in a worker thread. The loop stays free, but
httpx.get() builds (and closes) a client of its own on every call: a new SSL context and a
new connection per request, the very cost of a client per request."""

import asyncio

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"


async def forecast(request):
    city = request.GET.get("city", "Oslo")
    try:
        response = await asyncio.to_thread(
            httpx.get, WEATHER_SERVICE, params={"city": city}, timeout=5
        )
        response.raise_for_status()
        weather = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"city": city, "error": "No forecast available."}, status=502)
    return JsonResponse({"city": city, **weather})
