"""Right: each partner gets its own short-lived AsyncClient, and the three calls run at once
in a TaskGroup; a partner that fails is a 502, and the others are cancelled with it."""

import asyncio

import httpx
from django.http import JsonResponse

PARTNERS = {
    "weather": ("http://weather.example/forecast", "forecast"),
    "hotels": ("http://hotels.example/search", "hotels"),
    "events": ("http://events.example/upcoming", "events"),
}


class PartnerFailed(Exception):
    """A partner gave no usable answer."""


async def ask(url, key, city):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(url, params={"city": city})
        response.raise_for_status()
        return response.json()[key]
    except (httpx.HTTPError, ValueError, KeyError) as error:
        raise PartnerFailed(url) from error


async def trip(request):
    city = request.GET.get("city", "Lisbon")
    failed = False
    try:
        async with asyncio.TaskGroup() as group:
            tasks = {
                name: group.create_task(ask(url, key, city))
                for name, (url, key) in PARTNERS.items()
            }
    except* PartnerFailed:
        failed = True
    if failed:
        return JsonResponse({"city": city, "error": "a partner service is unavailable"}, status=502)
    return JsonResponse({"city": city, **{name: task.result() for name, task in tasks.items()}})
