"""Right: the view opens the client and hands it to the helper, whose coroutine it awaits
inside the client's block."""

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"


class WeatherUnavailable(Exception):
    """The weather service failed, or answered something that is not a forecast."""


async def fetch_forecast(city, client):
    """Ask the weather service for tomorrow's forecast in ``city``."""
    try:
        response = await client.get(WEATHER_SERVICE, params={"city": city})
        response.raise_for_status()
        return response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise WeatherUnavailable(city) from error


async def forecast(request, city):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            data = await fetch_forecast(city, client)
    except WeatherUnavailable:
        # 502 Bad Gateway: the page shows "Weather unavailable" for it.
        return JsonResponse({"city": city, "error": "weather unavailable"}, status=502)
    return JsonResponse(data)
