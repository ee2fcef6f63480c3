"""Wrong: asks the weather service with the sync client in a pool of one thread: the loop
stays free, but every hiker waits for the forecasts of those who asked before."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"
POOL = ThreadPoolExecutor(max_workers=1)


def fetch_forecast(city):
    response = httpx.get(WEATHER_SERVICE, params={"city": city}, timeout=5)
    response.raise_for_status()
    return response.json()


async def forecast(request, city):
    try:
        data = await asyncio.get_running_loop().run_in_executor(POOL, fetch_forecast, city)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"city": city, "error": "weather unavailable"}, status=502)
    return JsonResponse(data)
