"""Wrong: one shared client, and each city's forecast kept in a module dict "so the service is
asked less": a forecast never changes again for the life of the process, and the dict
grows with every city anyone types."""

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"

# One client for the whole process, made once and shared by every request: it keeps its
# connections open between requests, and its SSL context is built once, not per request.
# It lives as long as the process (one event loop under a server such as uvicorn).
client = httpx.AsyncClient(timeout=5)
_forecasts = {}


async def forecast(request):
    city = request.GET.get("city", "Oslo")
    if city in _forecasts:
        return JsonResponse({"city": city, **_forecasts[city]})
    try:
        response = await client.get(WEATHER_SERVICE, params={"city": city})
        response.raise_for_status()
        weather = response.json()
    # The weather service failed (an error status, a broken body, a connection that failed):
    # the widget shows "no forecast" rather than a broken page.
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"city": city, "error": "No forecast available."}, status=502)
    _forecasts[city] = weather
    return JsonResponse({"city": city, **weather})
