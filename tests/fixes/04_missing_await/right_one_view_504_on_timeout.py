"""Right: no helper at all: the view awaits the weather service itself and answers 504 when
it did not answer in time, 502 for any other failure."""

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"


async def forecast(request, city):
    unavailable = {"city": city, "error": "weather unavailable"}
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(WEATHER_SERVICE, params={"city": city})
        response.raise_for_status()
        data = response.json()
    except httpx.TimeoutException:
        return JsonResponse(unavailable, status=504)
    except (httpx.HTTPError, ValueError):
        return JsonResponse(unavailable, status=502)
    return JsonResponse(data)
