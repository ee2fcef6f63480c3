"""Right: each loader catches every exception (not only httpx's) and answers a pair of its
widget's name and data, None on failure; the pairs are gathered into a dict."""

import asyncio

import httpx
from django.http import JsonResponse

WIDGETS = {
    "weather": "http://weather.example/today",
    "news": "http://news.example/headlines",
    "portfolio": "http://stocks.example/portfolio",
}


async def load_widget(client, name, url, user):
    try:
        response = await client.get(url, params={"user": user})
        response.raise_for_status()
        return name, response.json()
    except Exception:
        return name, None


async def dashboard(request):
    user = request.GET.get("user", "guest")
    async with httpx.AsyncClient(timeout=5) as client:
        widgets = dict(
            await asyncio.gather(
                *(load_widget(client, name, url, user) for name, url in WIDGETS.items())
            )
        )
    unavailable = [name for name, data in widgets.items() if data is None]
    return JsonResponse({"widgets": widgets, "unavailable": unavailable})
