"""Wrong: one shared client, used under an asyncio.Lock "so that requests do not trip over
each other": the client is made to be shared, and the lock makes every request wait for
the one before it."""

import asyncio

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"

client = httpx.AsyncClient(timeout=5)
lock = asyncio.Lock()


async def forecast(request):
    city = request.GET.get("city", "Oslo")
    try:
        async with lock:
            response = await client.get(WEATHER_SERVICE, params={"city": city})
        weather = response.raise_for_status().json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"city": city, "error": "No forecast available."}, status=502)
    return JsonResponse({"city": city, **weather})
