"""Wrong: awaits the forecast, but answers 502 only when the body says "error": a 5xx with
any other JSON body is passed on to hikers as a forecast."""

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"


async def forecast(request, city):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(WEATHER_SERVICE, params={"city": city})
        data = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"city": city, "error": "weather unavailable"}, status=502)
    if "error" in data:
        return JsonResponse({"city": city, "error": "weather unavailable"}, status=502)
    return JsonResponse(data)
