"""Wrong: awaits the forecast, but for the city name "tidied" with str.title(): Val d'Isère
becomes Val D'Isère, a city the weather service does not know."""

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"


class WeatherUnavailable(Exception):
    """The weather service failed, or answered something that is not a forecast."""


async def fetch_forecast(city):
    """Ask the weather service for tomorrow's forecast in ``city``."""
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(WEATHER_SERVICE, params={"city": city})
        response.raise_for_status()
        return response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise WeatherUnavailable(city) from error


async def forecast(request, city):
    try:
        # Calling an async function only creates a coroutine; nothing in it runs yet, not
        # even the code that would raise. `await` runs it (freeing the loop while it waits)
        # and gives back its result, or raises its exception right here.
        data = await fetch_forecast(city.title())
    except WeatherUnavailable:
        # 502 Bad Gateway: the page shows "Weather unavailable" for it.
        return JsonResponse({"city": city, "error": "weather unavailable"}, status=502)
    return JsonResponse(data)
