"""Right: awaits the fetch inside the view itself, and reads the answer's status with
is_error before its body: any error status, or a body that is not JSON, is a 502."""

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"


def unavailable(city):
    return JsonResponse({"city": city, "error": "weather unavailable"}, status=502)


async def forecast(request, city):
    async with httpx.AsyncClient(timeout=httpx.Timeout(5, connect=2)) as client:
        try:
            response = await client.get(WEATHER_SERVICE, params={"city": city})
        except httpx.RequestError:
            return unavailable(city)
    if response.is_error:
        return unavailable(city)
    try:
        data = response.json()
    except ValueError:
        return unavailable(city)
    return JsonResponse(data)
