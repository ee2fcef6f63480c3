"""Wrong: builds the shared client on first use in a worker thread (to keep its SSL set-up
off the loop), but checks and sets the global around an await: five requests at once all
see no client, build five, and four are dropped without being closed."""

import asyncio

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"

client = None


async def shared_client():
    global client
    if client is None:
        client = await asyncio.to_thread(httpx.AsyncClient, timeout=5)
    return client


async def forecast(request):
    city = request.GET.get("city", "Oslo")
    weather_client = await shared_client()
    try:
        response = await weather_client.get(WEATHER_SERVICE, params={"city": city})
        response.raise_for_status()
        weather = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"city": city, "error": "No forecast available."}, status=502)
    return JsonResponse({"city": city, **weather})
