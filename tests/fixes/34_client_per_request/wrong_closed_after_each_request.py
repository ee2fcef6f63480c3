"""Wrong: shares a client, but closes it at the end of every request ("no client left
open") and makes a new one when it finds it closed: requests that overlap share one, the
next ones each build their own again."""

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"

_client = None


def weather_client():
    global _client
    if _client is None or _client.is_closed:
        _client = httpx.AsyncClient(timeout=5)
    return _client


async def forecast(request):
    city = request.GET.get("city", "Oslo")
    client = weather_client()
    try:
        response = await client.get(WEATHER_SERVICE, params={"city": city})
        response.raise_for_status()
        weather = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"city": city, "error": "No forecast available."}, status=502)
    finally:
        await client.aclose()
    return JsonResponse({"city": city, **weather})
