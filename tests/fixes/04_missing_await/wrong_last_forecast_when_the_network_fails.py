"""Wrong: awaits the forecast, and keeps each city's forecast in a dict to serve it again
when the service fails: stale weather shown as now, and a dict that grows with every city."""

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"


class WeatherUnavailable(Exception):
    """The weather service failed, or answered something that is not a forecast."""


LAST_KNOWN = {}


async def fetch_forecast(city):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(WEATHER_SERVICE, params={"city": city})
        response.raise_for_status()
        LAST_KNOWN[city] = response.json()
        return LAST_KNOWN[city]
    except httpx.HTTPStatusError as error:
        raise WeatherUnavailable(city) from error
    except (httpx.TransportError, ValueError) as error:
        if city in LAST_KNOWN:
            return LAST_KNOWN[city]
        raise WeatherUnavailable(city) from error


async def forecast(request, city):
    try:
        data = await fetch_forecast(city)
    except WeatherUnavailable:
        return JsonResponse({"city": city, "error": "weather unavailable"}, status=502)
    return JsonResponse(data)
