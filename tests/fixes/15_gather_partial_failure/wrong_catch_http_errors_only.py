"""Wrong: catches httpx's errors per widget (statuses and connections), but a service that
answers 200 with a body cut off half-way raises a JSON error, not an httpx one: that
widget still turns the dashboard into a 500."""

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
    except httpx.HTTPError:
        return None
    return response.json()


async def dashboard(request):
    user = request.GET.get("user", "guest")
    async with httpx.AsyncClient(timeout=5) as client:
        results = await asyncio.gather(
            *(load_widget(client, url, user) for url in WIDGETS.values())
        )

    widgets = dict(zip(WIDGETS, results, strict=True))
    unavailable = [name for name, data in widgets.items() if data is None]
    return JsonResponse({"widgets": widgets, "unavailable": unavailable})
