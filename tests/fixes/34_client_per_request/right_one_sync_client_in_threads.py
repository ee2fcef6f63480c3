"""Right: one shared sync httpx.Client for the process (it is thread-safe), each call made
in a worker thread so the event loop stays free: one client, one pool, one SSL context."""

import asyncio

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"

client = httpx.Client(timeout=5)


async def forecast(request):
    city = request.GET.get("city", "Oslo")
    try:
        response = await asyncio.to_thread(client.get, WEATHER_SERVICE, params={"city": city})
        response.raise_for_status()
        weather = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"city": city, "error": "No forecast available."}, status=502)
    return JsonResponse({"city": city, **weather})
