"""Right: a response hook raises for any error status, and asyncio.timeout bounds the whole
call; the view awaits the helper and maps every failure to 502."""

import asyncio

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"


async def raise_on_error(response):
    response.raise_for_status()


async def fetch_forecast(city):
    async with asyncio.timeout(8):
        async with httpx.AsyncClient(event_hooks={"response": [raise_on_error]}) as client:
            response = await client.get(WEATHER_SERVICE, params={"city": city})
            return response.json()


async def forecast(request, city):
    try:
        data = await fetch_forecast(city)
    except (httpx.HTTPError, ValueError, TimeoutError):
        return JsonResponse({"city": city, "error": "weather unavailable"}, status=502)
    return JsonResponse(data)
