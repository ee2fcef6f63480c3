"""Wrong: awaits the forecast, and when the weather service fails, answers 200 with a
"typical" forecast instead. The page shows weather nobody forecast, and no one learns the
service is down: a made-up answer is worse than "Weather unavailable"."""

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


TYPICAL = {"temperature": 12, "sky": "cloudy", "wind_kmh": 15}


async def forecast(request, city):
    try:
        data = await fetch_forecast(city)
    except WeatherUnavailable:
        data = {"city": city, **TYPICAL}
    return JsonResponse(data)
