"""Wrong: asks the three partners at once, but takes an empty answer for a failed one: a
week with every hotel booked out is a 502 instead of a page that says so."""

import asyncio

import httpx
from django.http import JsonResponse

PARTNERS = {
    "weather": ("http://weather.example/forecast", "forecast"),
    "hotels": ("http://hotels.example/search", "hotels"),
    "events": ("http://events.example/upcoming", "events"),
}


async def ask(client, url, key, city):
    try:
        response = await client.get(url, params={"city": city})
        response.raise_for_status()
        return response.json()[key]
    except (httpx.HTTPError, ValueError, KeyError):
        return None


async def trip(request):
    city = request.GET.get("city", "Lisbon")
    async with httpx.AsyncClient(timeout=5) as client:
        answers = await asyncio.gather(
            *(ask(client, url, key, city) for url, key in PARTNERS.values())
        )
    if not all(answers):
        return JsonResponse({"city": city, "error": "a partner service is unavailable"}, status=502)
    return JsonResponse({"city": city, **dict(zip(PARTNERS, answers, strict=True))})
