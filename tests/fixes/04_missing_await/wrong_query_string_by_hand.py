"""Wrong: awaits the forecast, but the rewritten helper puts the city into the URL with an
f-string. A trailhead with `&` in its name (`Lech & Zürs`) is cut at the `&`: the weather
service is asked about a city called `Lech `. params= encodes the value properly."""

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"


class WeatherUnavailable(Exception):
    """The weather service failed, or answered something that is not a forecast."""


async def fetch_forecast(city):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(f"{WEATHER_SERVICE}?city={city}")
        response.raise_for_status()
        return response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise WeatherUnavailable(city) from error


async def forecast(request, city):
    try:
        data = await fetch_forecast(city)
    except WeatherUnavailable:
        return JsonResponse({"city": city, "error": "weather unavailable"}, status=502)
    return JsonResponse(data)
