"""Wrong: awaits the helper, rewritten to handle the weather service answering an error
status and nothing else. A refused connection, a timeout, a dropped connection or a body
that is not JSON still gives the page a 500: httpx.HTTPStatusError is one of many ways a
service fails."""

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"


async def fetch_forecast(city):
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(WEATHER_SERVICE, params={"city": city})
    response.raise_for_status()
    return response.json()


async def forecast(request, city):
    try:
        data = await fetch_forecast(city)
    except httpx.HTTPStatusError:
        return JsonResponse({"city": city, "error": "weather unavailable"}, status=502)
    return JsonResponse(data)
