"""Right: gathers the calls from a list and matches the answers back by position with zip:
gather keeps the order of the calls, whatever order the answers arrive in."""

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
    async with httpx.AsyncClient(timeout=5) as client:
        names = ["weather", "hotels", "events"]
        services = [WEATHER_SERVICE, HOTEL_SERVICE, EVENT_SERVICE]
        answers = dict(
            zip(
                names,
                await asyncio.gather(*(ask(client, url, city) for url in services)),
                strict=True,
            )
        )
    weather, hotels, events = answers["weather"], answers["hotels"], answers["events"]

    if weather is None or hotels is None or events is None:
        # 502 Bad Gateway: the page says "trip details unavailable, try again in a minute".
        return JsonResponse({"city": city, "error": "a partner service is unavailable"}, status=502)
    return JsonResponse(
        {
            "city": city,
            "weather": weather["forecast"],
            "hotels": hotels["hotels"],
            "events": events["events"],
        }
    )
