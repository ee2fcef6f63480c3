"""Wrong: makes fetch_forecast a plain function with the sync httpx client, so there is
nothing left to await. The page shows the forecast, but the request to the weather service
now blocks the event loop for the whole round trip: every other request waits meanwhile."""

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"


class WeatherUnavailable(Exception):
    """The weather service failed, or answered something that is not a forecast."""


def fetch_forecast(city):
    try:
        response = httpx.get(WEATHER_SERVICE, params={"city": city}, timeout=5)
        response.raise_for_status()
        return response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise WeatherUnavailable(city) from error


async def forecast(request, city):
    try:
        data = fetch_forecast(city)
    except WeatherUnavailable:
        return JsonResponse({"city": city, "error": "weather unavailable"}, status=502)
    return JsonResponse(data)
