"""Wrong: asks the three partners at once, but closes its client only when the trip is
complete: every page that answers 502 leaves a client and its connections open."""

import asyncio

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"
HOTEL_SERVICE = "http://hotels.example/search"
EVENT_SERVICE = "http://events.example/upcoming"


async def ask(client, url, city):
    """GET one of the partner services for ``city``: its JSON answer, or None when it gave
    no usable answer (an error, a timeout, a body that is not JSON)."""
    try:
        response = await client.get(url, params={"city": city})
        response.raise_for_status()
        return response.json()
    except (httpx.HTTPError, ValueError):
        return None


async def trip(request):
    city = request.GET.get("city", "Lisbon")
    client = httpx.AsyncClient(timeout=5)
    weather, hotels, events = await asyncio.gather(
        ask(client, WEATHER_SERVICE, city),
        ask(client, HOTEL_SERVICE, city),
        ask(client, EVENT_SERVICE, city),
    )
    if weather is None or hotels is None or events is None:
        return JsonResponse({"city": city, "error": "a partner service is unavailable"}, status=502)
    await client.aclose()
    return JsonResponse(
        {
            "city": city,
            "weather": weather["forecast"],
            "hotels": hotels["hotels"],
            "events": events["events"],
        }
    )
