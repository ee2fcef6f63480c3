"""Wrong: a failed widget becomes an empty {} and is not named unavailable: no 500, but the
app draws an empty card as if the service had nothing to say, instead of "unavailable"."""

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
        return {}


async def dashboard(request):
    user = request.GET.get("user", "guest")
    async with httpx.AsyncClient(timeout=5) as client:
        results = await asyncio.gather(
            *(load_widget(client, url, user) for url in WIDGETS.values())
        )

    return JsonResponse({"widgets": dict(zip(WIDGETS, results, strict=True)), "unavailable": []})
