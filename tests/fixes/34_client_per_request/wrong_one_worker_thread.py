"""Wrong: one shared sync client, called off the loop, but in an executor of one thread
("one client, one thread"): the loop stays free, yet requests queue for that thread and
the weather service sees one call at a time."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"

client = httpx.Client(timeout=5)
executor = ThreadPoolExecutor(max_workers=1)


def fetch(city):
    return client.get(WEATHER_SERVICE, params={"city": city})


async def forecast(request):
    city = request.GET.get("city", "Oslo")
    try:
        response = await asyncio.get_running_loop().run_in_executor(executor, fetch, city)
        weather = response.raise_for_status().json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"city": city, "error": "No forecast available."}, status=502)
    return JsonResponse({"city": city, **weather})
