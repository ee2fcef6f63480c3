"""Wrong: adds the await, but on a line of its own after the try. The forecast shows on a good
day; on a bad one the WeatherUnavailable comes out of the await, outside the try that was
meant to catch it, and the page gets a 500. A coroutine's exception is raised where it is
awaited, not where it was created."""

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
    try:
        pending = fetch_forecast(city)
    except WeatherUnavailable:
        return JsonResponse({"city": city, "error": "weather unavailable"}, status=502)
    data = await pending
    return JsonResponse(data)
