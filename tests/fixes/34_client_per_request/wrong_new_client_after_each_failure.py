"""Wrong: one shared client, but when the weather service fails the view closes it and
builds a new one "to start afresh": while the service is failing, every request builds a
client again, and requests still using the old one find it closed."""

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"

client = httpx.AsyncClient(timeout=5)


async def forecast(request):
    global client
    city = request.GET.get("city", "Oslo")
    try:
        response = await client.get(WEATHER_SERVICE, params={"city": city})
        weather = response.raise_for_status().json()
    except (httpx.HTTPError, ValueError):
        old, client = client, httpx.AsyncClient(timeout=5)
        await old.aclose()
        return JsonResponse({"city": city, "error": "No forecast available."}, status=502)
    return JsonResponse({"city": city, **weather})
