"""Wrong: starts the three calls as tasks and answers 502 as soon as one fails, without
cancelling the other two: they go on running, and calling partners, after the page has
answered."""

import asyncio

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"
HOTEL_SERVICE = "http://hotels.example/search"
EVENT_SERVICE = "http://events.example/upcoming"


async def ask(url, city):
    """GET one of the partner services for ``city``: its JSON answer."""
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(url, params={"city": city})
    response.raise_for_status()
    return response.json()


async def trip(request):
    city = request.GET.get("city", "Lisbon")
    tasks = [
        asyncio.create_task(ask(url, city))
        for url in (WEATHER_SERVICE, HOTEL_SERVICE, EVENT_SERVICE)
    ]
    done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    if any(task.exception() for task in done):
        return JsonResponse({"city": city, "error": "a partner service is unavailable"}, status=502)
    weather, hotels, events = (task.result() for task in tasks)
    return JsonResponse(
        {
            "city": city,
            "weather": weather["forecast"],
            "hotels": hotels["hotels"],
            "events": events["events"],
        }
    )
