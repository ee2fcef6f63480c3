"""Wrong: starts the helper as a task, then waits for it by spinning on
`await asyncio.sleep(0)` until it is done. The forecast arrives, but the event loop runs at
full speed the whole time the weather service takes to answer, burning the CPU every other
request needs: `await task` waits without spinning."""

import asyncio

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"


class WeatherUnavailable(Exception):
    """The weather service failed, or answered something that is not a forecast."""


async def fetch_forecast(city):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(WEATHER_SERVICE, params={"city": city})
        response.raise_for_status()
        return response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise WeatherUnavailable(city) from error


async def forecast(request, city):
    task = asyncio.create_task(fetch_forecast(city))
    while not task.done():
        await asyncio.sleep(0)
    try:
        data = task.result()
    except WeatherUnavailable:
        return JsonResponse({"city": city, "error": "weather unavailable"}, status=502)
    return JsonResponse(data)
