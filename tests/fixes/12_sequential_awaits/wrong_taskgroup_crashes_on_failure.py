"""Wrong: moves to a TaskGroup and lets `ask` raise, catching the failure around the group with
a plain `except`. A TaskGroup raises an ExceptionGroup, which `except httpx.HTTPError` does not
match: one broken partner turns the page into a 500."""

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
    try:
        async with httpx.AsyncClient(timeout=5) as client, asyncio.TaskGroup() as group:
            weather = group.create_task(ask(client, WEATHER_SERVICE, city))
            hotels = group.create_task(ask(client, HOTEL_SERVICE, city))
            events = group.create_task(ask(client, EVENT_SERVICE, city))
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"city": city, "error": "a partner service is unavailable"}, status=502)

    return JsonResponse(
        {
            "city": city,
            "weather": weather.result()["forecast"],
            "hotels": hotels.result()["hotels"],
            "events": events.result()["events"],
        }
    )
