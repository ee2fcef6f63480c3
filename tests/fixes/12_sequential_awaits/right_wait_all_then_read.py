"""Right: starts the three calls as tasks and waits for all of them with asyncio.wait, then
reads each task's answer by partner: the page waits as long as the slowest."""

import asyncio

import httpx
from django.http import JsonResponse

PARTNERS = {
    "weather": ("http://weather.example/forecast", "forecast"),
    "hotels": ("http://hotels.example/search", "hotels"),
    "events": ("http://events.example/upcoming", "events"),
}


async def ask(client, url, key, city):
    """The partner's answer under ``key``, or None when it gave no usable answer."""
    try:
        response = await client.get(url, params={"city": city})
        response.raise_for_status()
        return response.json()[key]
    except (httpx.HTTPError, ValueError, KeyError):
        return None


async def trip(request):
    city = request.GET.get("city", "Lisbon")
    async with httpx.AsyncClient(timeout=5) as client:
        tasks = {
            name: asyncio.create_task(ask(client, url, key, city))
            for name, (url, key) in PARTNERS.items()
        }
        await asyncio.wait(tasks.values())
    page = {name: task.result() for name, task in tasks.items()}
    if any(answer is None for answer in page.values()):
        return JsonResponse({"city": city, "error": "a partner service is unavailable"}, status=502)
    return JsonResponse({"city": city, **page})
