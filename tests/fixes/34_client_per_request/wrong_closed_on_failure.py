"""Wrong: one shared client, but when the weather service fails the view closes it "to
start afresh", and never makes another: after the first hiccup every request fails."""

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"

client = httpx.AsyncClient(timeout=5)


async def forecast(request):
    city = request.GET.get("city", "Oslo")
    try:
        response = await client.get(WEATHER_SERVICE, params={"city": city})
        response.raise_for_status()
        weather = response.json()
    except (httpx.HTTPError, ValueError, RuntimeError):
        await client.aclose()
        return JsonResponse({"city": city, "error": "No forecast available."}, status=502)
    return JsonResponse({"city": city, **weather})
