"""Wrong: closes each client (async with), so none leaks, but still builds a new client, SSL
context and connections for every single request."""

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"


async def forecast(request):
    city = request.GET.get("city", "Oslo")
    async with httpx.AsyncClient(timeout=5) as client:
        try:
            response = await client.get(WEATHER_SERVICE, params={"city": city})
            response.raise_for_status()
            weather = response.json()
        except (httpx.HTTPError, ValueError):
            return JsonResponse({"city": city, "error": "No forecast available."}, status=502)
        return JsonResponse({"city": city, **weather})
