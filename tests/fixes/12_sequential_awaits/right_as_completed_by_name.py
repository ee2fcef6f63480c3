"""Right: starts the three calls as tasks, takes the answers as they come (as_completed),
and files each under the partner that sent it, whatever the order; any failure is a 502
once every call is done."""

import asyncio

import httpx
from django.http import JsonResponse

PARTNERS = {
    "weather": ("http://weather.example/forecast", "forecast"),
    "hotels": ("http://hotels.example/search", "hotels"),
    "events": ("http://events.example/upcoming", "events"),
}


async def ask(client, name, city):
    """(name, that partner's part of the trip), or (name, None) when it gave no usable answer."""
    url, key = PARTNERS[name]
    try:
        response = await client.get(url, params={"city": city})
        response.raise_for_status()
        return name, response.json()[key]
    except (httpx.HTTPError, ValueError, KeyError):
        return name, None


async def trip(request):
    city = request.GET.get("city", "Lisbon")
    page = {"city": city}
    async with httpx.AsyncClient(timeout=5) as client:
        for answer in asyncio.as_completed([ask(client, name, city) for name in PARTNERS]):
            name, part = await answer
            page[name] = part
    if any(page[name] is None for name in PARTNERS):
        return JsonResponse({"city": city, "error": "a partner service is unavailable"}, status=502)
    return JsonResponse(page)
