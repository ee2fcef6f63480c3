"""Wrong: partial failure handled, but the rewritten loader no longer tells the services
whose dashboard it is: every user sees the same (somebody's) portfolio and news."""

import asyncio

import httpx
from django.http import JsonResponse

WIDGETS = {
    "weather": "http://weather.example/today",
    "news": "http://news.example/headlines",
    "portfolio": "http://stocks.example/portfolio",
}


async def load_widget(client, url):
    try:
        response = await client.get(url)
        response.raise_for_status()
        return response.json()
    except Exception:
        return None


async def dashboard(request):
    async with httpx.AsyncClient(timeout=5) as client:
        results = await asyncio.gather(*(load_widget(client, url) for url in WIDGETS.values()))

    widgets = dict(zip(WIDGETS, results, strict=True))
    unavailable = [name for name, data in widgets.items() if data is None]
    return JsonResponse({"widgets": widgets, "unavailable": unavailable})
