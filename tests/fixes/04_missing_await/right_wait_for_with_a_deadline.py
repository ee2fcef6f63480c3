"""Right: awaits the helper through asyncio.wait_for, with a deadline of its own: 504 when the
weather service is too slow, 502 when it fails."""

import asyncio

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"


class WeatherUnavailable(Exception):
    """The weather service failed, or answered something that is not a forecast."""


async def fetch_forecast(city):
    try:
        async with httpx.AsyncClient() as client:
            response = await client.get(WEATHER_SERVICE, params={"city": city})
        response.raise_for_status()
        return response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise WeatherUnavailable(city) from error


async def forecast(request, city):
    try:
        data = await asyncio.wait_for(fetch_forecast(city), timeout=3)
    except TimeoutError:
        return JsonResponse({"city": city, "error": "weather too slow"}, status=504)
    except WeatherUnavailable:
        return JsonResponse({"city": city, "error": "weather unavailable"}, status=502)
    return JsonResponse(data)
