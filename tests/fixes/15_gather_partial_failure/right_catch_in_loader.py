"""Right: the loader turns any failure of its service (an error status, a failed connection,
a body that is not JSON) into None, so plain gather never sees an exception and waits for
every widget."""

import asyncio

import httpx
from django.http import JsonResponse

WIDGETS = {
    "weather": "http://weather.example/today",
    "news": "http://news.example/headlines",
    "portfolio": "http://stocks.example/portfolio",
}


async def load_widget(client, url, user):
    try:
        response = await client.get(url, params={"user": user})
        response.raise_for_status()
        return response.json()
    except (httpx.HTTPError, ValueError):
        return None


async def dashboard(request):
    user = request.GET.get("user", "guest")
    async with httpx.AsyncClient(timeout=5) as client:
        results = await asyncio.gather(
            *(load_widget(client, url, user) for url in WIDGETS.values())
        )

    widgets = dict(zip(WIDGETS, results, strict=True))
    unavailable = [name for name, data in widgets.items() if data is None]
    return JsonResponse({"widgets": widgets, "unavailable": unavailable})
