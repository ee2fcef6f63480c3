"""Right: starts the three calls as tasks in a TaskGroup; they run together, and the group
waits for all of them. Here `ask` raises on a failure, so the view catches the group's
ExceptionGroup with `except*` (a plain `except` would miss it)."""

import asyncio

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"
HOTEL_SERVICE = "http://hotels.example/search"
EVENT_SERVICE = "http://events.example/upcoming"


async def ask(client, url, city):
    response = await client.get(url, params={"city": city})
    response.raise_for_status()
    return response.json()


async def trip(request):
    city = request.GET.get("city", "Lisbon")
    failed = False
    try:
        async with httpx.AsyncClient(timeout=5) as client, asyncio.TaskGroup() as group:
            weather = group.create_task(ask(client, WEATHER_SERVICE, city))
            hotels = group.create_task(ask(client, HOTEL_SERVICE, city))
            events = group.create_task(ask(client, EVENT_SERVICE, city))
    except* (httpx.HTTPError, ValueError):
        failed = True  # (`return` is not allowed inside an except* block)
    if failed:
        return JsonResponse({"city": city, "error": "a partner service is unavailable"}, status=502)

    return JsonResponse(
        {
            "city": city,
            "weather": weather.result()["forecast"],
            "hotels": hotels.result()["hotels"],
            "events": events.result()["events"],
        }
    )
