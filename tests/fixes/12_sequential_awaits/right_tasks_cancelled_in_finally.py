"""Right: three tasks of its own, awaited one by one, and cancelled in a finally block, so a
failure or a customer who leaves stops the calls still running."""

import asyncio

import httpx
from django.http import JsonResponse

PARTNERS = {
    "weather": ("http://weather.example/forecast", "forecast"),
    "hotels": ("http://hotels.example/search", "hotels"),
    "events": ("http://events.example/upcoming", "events"),
}


async def fetch(client, url, key, city):
    response = await client.get(url, params={"city": city})
    response.raise_for_status()
    return response.json()[key]


async def trip(request):
    city = request.GET.get("city", "Lisbon")
    async with httpx.AsyncClient(timeout=5) as client:
        tasks = {
            name: asyncio.create_task(fetch(client, url, key, city))
            for name, (url, key) in PARTNERS.items()
        }
        try:
            found = {name: await task for name, task in tasks.items()}
        except (httpx.HTTPError, ValueError, KeyError):
            return JsonResponse({"city": city, "error": "a partner is unavailable"}, status=502)
        finally:
            for task in tasks.values():
                task.cancel()
            await asyncio.gather(*tasks.values(), return_exceptions=True)
    return JsonResponse({"city": city, **found})
