"""Right: one shared client per event loop (a server has one loop; each test, or an
async_to_sync caller, has its own), kept in a WeakKeyDictionary keyed by the loop."""

import asyncio
import weakref

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"

_clients = weakref.WeakKeyDictionary()


def weather_client():
    loop = asyncio.get_running_loop()
    if loop not in _clients:
        _clients[loop] = httpx.AsyncClient(timeout=5)
    return _clients[loop]


async def forecast(request):
    city = request.GET.get("city", "Oslo")
    try:
        response = await weather_client().get(WEATHER_SERVICE, params={"city": city})
        response.raise_for_status()
        weather = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"city": city, "error": "No forecast available."}, status=502)
    return JsonResponse({"city": city, **weather})
