"""Wrong: one shared client, but a 5xx answer is tried once more after time.sleep: the pause
holds the event loop, and every request of the site waits with it."""

import time

import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"

# One client for the whole process, made once and shared by every request: it keeps its
# connections open between requests, and its SSL context is built once, not per request.
# It lives as long as the process (one event loop under a server such as uvicorn).
client = httpx.AsyncClient(timeout=5)


async def forecast(request):
    city = request.GET.get("city", "Oslo")
    try:
        response = await client.get(WEATHER_SERVICE, params={"city": city})
        if response.status_code >= 500:
            time.sleep(0.1)  # give the service a moment, then one more try
            response = await client.get(WEATHER_SERVICE, params={"city": city})
        response.raise_for_status()
        weather = response.json()
    # The weather service failed (an error status, a broken body, a connection that failed):
    # the widget shows "no forecast" rather than a broken page.
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"city": city, "error": "No forecast available."}, status=502)
    return JsonResponse({"city": city, **weather})
