"""Wrong: moves the client into a helper, which looks shared but still makes (and drops,
unclosed) a new client on every call."""

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"


def weather_client():
    return httpx.AsyncClient(timeout=5, base_url="http://weather.example")


async def forecast(request):
    city = request.GET.get("city", "Oslo")
    response = await weather_client().get("/forecast", params={"city": city})
    response.raise_for_status()
    return JsonResponse({"city": city, **response.json()})
