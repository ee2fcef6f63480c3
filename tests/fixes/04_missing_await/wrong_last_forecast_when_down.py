"""Wrong: awaits the forecast, and when the weather service fails, answers 200 with the last
forecast it got for that city. The page shows yesterday's weather as tomorrow's, and nobody
learns the service is down: "Weather unavailable" is what the page should say."""

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"
last_forecast = {}


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
        data = last_forecast[city] = await fetch_forecast(city)
    except WeatherUnavailable:
        if city not in last_forecast:
            return JsonResponse({"city": city, "error": "weather unavailable"}, status=502)
        data = last_forecast[city]
    return JsonResponse(data)
