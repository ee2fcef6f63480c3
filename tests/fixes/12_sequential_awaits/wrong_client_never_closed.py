"""Wrong: asks the three partners at once, but opens a client per page and never closes it."""

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
    # `await` waits for its answer before the next line runs, so awaits in a row are
    # serial: the page took the sum of the three latencies. gather starts all three
    # calls first and then waits for them together: the page takes as long as the
    # slowest service. (Results come back in the order the calls were given.)
    weather, hotels, events = await asyncio.gather(
        ask(client, WEATHER_SERVICE, city),
        ask(client, HOTEL_SERVICE, city),
        ask(client, EVENT_SERVICE, city),
    )

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
