"""Wrong: follows the TypeError's advice (safe=False); JsonResponse then fails to serialise
the coroutine, and the forecast is still never fetched."""

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"


async def fetch_forecast(city):
    async with httpx.AsyncClient() as client:
        response = await client.get(WEATHER_SERVICE, params={"city": city})
    response.raise_for_status()
    return response.json()


async def forecast(request, city):
    data = fetch_forecast(city)
    return JsonResponse(data, safe=False)
