"""Right: runs the helper in a TaskGroup and awaits the group; the forecast is fetched once,
and the helper's WeatherUnavailable comes out of the group (in an ExceptionGroup, hence
except*)."""

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
    unavailable = None
    try:
        async with asyncio.TaskGroup() as group:
            task = group.create_task(fetch_forecast(city))
    except* WeatherUnavailable:
        unavailable = JsonResponse({"city": city, "error": "weather unavailable"}, status=502)
    if unavailable is not None:
        return unavailable
    return JsonResponse(task.result())
