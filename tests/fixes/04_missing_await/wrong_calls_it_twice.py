"""Wrong: awaits a second call when the first one gives a coroutine; the page works, but the
first coroutine is never awaited (Python warns about it)."""

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
    if not isinstance(data, dict):
        data = await fetch_forecast(city)
    return JsonResponse(data)
