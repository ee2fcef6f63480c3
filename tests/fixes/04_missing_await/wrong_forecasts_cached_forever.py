"""Wrong: awaits the forecast, and keeps each city's first forecast for ever "to spare the
weather service". The service is asked once per city, not once per request: tomorrow's
weather never changes on the page, and an outage is never noticed."""

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"
forecasts = {}


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
    if city not in forecasts:
        try:
            forecasts[city] = await fetch_forecast(city)
        except WeatherUnavailable:
            return JsonResponse({"city": city, "error": "weather unavailable"}, status=502)
    return JsonResponse(forecasts[city])
