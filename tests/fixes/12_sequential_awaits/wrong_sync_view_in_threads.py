"""Wrong: turns the view into a plain def view that fans the calls out to a thread pool; the
calls overlap, but the view no longer runs on the event loop, which is the lesson."""

from concurrent.futures import ThreadPoolExecutor

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"
HOTEL_SERVICE = "http://hotels.example/search"
EVENT_SERVICE = "http://events.example/upcoming"


def ask(client, url, city):
    try:
        response = client.get(url, params={"city": city})
        response.raise_for_status()
        return response.json()
    except (httpx.HTTPError, ValueError):
        return None


def trip(request):
    city = request.GET.get("city", "Lisbon")
    with httpx.Client(timeout=5) as client, ThreadPoolExecutor(max_workers=3) as pool:
        weather, hotels, events = pool.map(
            lambda url: ask(client, url, city), [WEATHER_SERVICE, HOTEL_SERVICE, EVENT_SERVICE]
        )

    if weather is None or hotels is None or events is None:
        return JsonResponse({"city": city, "error": "a partner service is unavailable"}, status=502)
    return JsonResponse(
        {
            "city": city,
            "weather": weather["forecast"],
            "hotels": hotels["hotels"],
            "events": events["events"],
        }
    )
