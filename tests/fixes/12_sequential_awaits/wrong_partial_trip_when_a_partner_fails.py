"""Wrong: asks the three partners at once, and when one fails shows the trip anyway, with
nothing in that partner's place: a page that says "no hotels" when the hotel service is
down tells the traveller something the partners never said."""

import asyncio

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"
HOTEL_SERVICE = "http://hotels.example/search"
EVENT_SERVICE = "http://events.example/upcoming"


async def ask(client, url, city, key):
    """One partner's part of the trip, or an empty one when it gave no usable answer."""
    try:
        response = await client.get(url, params={"city": city})
        response.raise_for_status()
        return response.json()[key]
    except (httpx.HTTPError, ValueError, KeyError):
        return None if key == "forecast" else []


async def trip(request):
    city = request.GET.get("city", "Lisbon")
    async with httpx.AsyncClient(timeout=5) as client:
        weather, hotels, events = await asyncio.gather(
            ask(client, WEATHER_SERVICE, city, "forecast"),
            ask(client, HOTEL_SERVICE, city, "hotels"),
            ask(client, EVENT_SERVICE, city, "events"),
        )
    return JsonResponse({"city": city, "weather": weather, "hotels": hotels, "events": events})
