"""Right: one shared client whose transport retries a failed connection once, as many
production set-ups do; a service that still fails is a 502, and the client stays."""

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"

client = httpx.AsyncClient(transport=httpx.AsyncHTTPTransport(retries=1), timeout=5)


async def forecast(request):
    city = request.GET.get("city", "Oslo")
    try:
        response = await client.get(WEATHER_SERVICE, params={"city": city})
        response.raise_for_status()
        weather = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"city": city, "error": "No forecast available."}, status=502)
    return JsonResponse({"city": city, **weather})
