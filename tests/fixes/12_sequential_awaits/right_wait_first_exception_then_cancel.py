"""Right: starts the three calls as tasks, waits until all are done or one fails, and cancels (and waits for) whatever is still running before it answers 502."""

import asyncio

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"
HOTEL_SERVICE = "http://hotels.example/search"
EVENT_SERVICE = "http://events.example/upcoming"


async def ask(client, url, city, key):
    response = await client.get(url, params={"city": city})
    response.raise_for_status()
    return response.json()[key]


async def trip(request):
    city = request.GET.get("city", "Lisbon")
    async with httpx.AsyncClient(timeout=5) as client:
        tasks = {
            "weather": asyncio.create_task(ask(client, WEATHER_SERVICE, city, "forecast")),
            "hotels": asyncio.create_task(ask(client, HOTEL_SERVICE, city, "hotels")),
            "events": asyncio.create_task(ask(client, EVENT_SERVICE, city, "events")),
        }
        try:
            await asyncio.wait(tasks.values(), return_when=asyncio.FIRST_EXCEPTION)
        finally:
            for task in tasks.values():
                task.cancel()
            await asyncio.gather(*tasks.values(), return_exceptions=True)
    failed = [t for t in tasks.values() if t.cancelled() or t.exception() is not None]
    if failed:
        return JsonResponse({"city": city, "error": "a partner service is unavailable"}, status=502)
    return JsonResponse({"city": city, **{name: task.result() for name, task in tasks.items()}})
