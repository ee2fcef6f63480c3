"""Wrong: keeps one client per city, so repeated requests for a city share one, but a
client is made for every city anybody asks for: as many clients (and pools, and SSL
contexts) as there are cities, keyed by user input, without bound."""

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"

_clients = {}


async def forecast(request):
    city = request.GET.get("city", "Oslo")
    if city not in _clients:
        _clients[city] = httpx.AsyncClient(timeout=5)
    try:
        response = await _clients[city].get(WEATHER_SERVICE, params={"city": city})
        response.raise_for_status()
        weather = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"city": city, "error": "No forecast available."}, status=502)
    return JsonResponse({"city": city, **weather})
