"""Right: builds the shared client in a worker thread, keeping its SSL set-up off the loop,
and only once: the first visitor starts the build, every visitor awaits that same build."""

import asyncio

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"

_client_built = None


async def shared_client():
    global _client_built
    if _client_built is None:
        _client_built = asyncio.ensure_future(asyncio.to_thread(httpx.AsyncClient, timeout=5))
    return await asyncio.shield(_client_built)


async def forecast(request):
    city = request.GET.get("city", "Oslo")
    client = await shared_client()
    try:
        response = await client.get(WEATHER_SERVICE, params={"city": city})
        response.raise_for_status()
        weather = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"city": city, "error": "No forecast available."}, status=502)
    return JsonResponse({"city": city, **weather})
