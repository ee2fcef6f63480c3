"""Wrong: a failed widget's loader answers None, and the view then treats any falsy data as
a failure: a service that answers that there is nothing to show ({}) is called unavailable."""

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
    widgets = {name: data or None for name, data in zip(WIDGETS, results, strict=True)}
    unavailable = [name for name, data in widgets.items() if not data]
    return JsonResponse({"widgets": widgets, "unavailable": unavailable})
