"""Right: a TaskGroup asks the three partners at once, each task named for its partner; a
failure cancels the others and leaves the group as an ExceptionGroup, answered with 502."""

import asyncio

import httpx
from django.http import JsonResponse

PARTNERS = {
    "weather": ("http://weather.example/forecast", "forecast"),
    "hotels": ("http://hotels.example/search", "hotels"),
    "events": ("http://events.example/upcoming", "events"),
}


async def ask(client, url, key, city):
    response = await client.get(url, params={"city": city})
    response.raise_for_status()
    return response.json()[key]


async def trip(request):
    city = request.GET.get("city", "Lisbon")
    failed = False
    try:
        async with httpx.AsyncClient(timeout=5) as client, asyncio.TaskGroup() as group:
            tasks = {
                name: group.create_task(ask(client, url, key, city))
                for name, (url, key) in PARTNERS.items()
            }
    except* (httpx.HTTPError, ValueError, KeyError):
        failed = True
    if failed:
        return JsonResponse({"city": city, "error": "a partner is unavailable"}, status=502)
    return JsonResponse({"city": city, **{name: task.result() for name, task in tasks.items()}})
