"""Wrong: wraps the gather in try/except and answers 200 with every widget unavailable; no
more 500, but one broken service still blanks the whole page (and the other calls are
abandoned)."""

import asyncio

import httpx
from django.http import JsonResponse

WIDGETS = {
    "weather": "http://weather.example/today",
    "news": "http://news.example/headlines",
    "portfolio": "http://stocks.example/portfolio",
}


async def load_widget(client, url, user):
    response = await client.get(url, params={"user": user})
    response.raise_for_status()
    return response.json()


async def dashboard(request):
    user = request.GET.get("user", "guest")
    async with httpx.AsyncClient(timeout=5) as client:
        try:
            results = await asyncio.gather(
                *(load_widget(client, url, user) for url in WIDGETS.values())
            )
        except (httpx.HTTPError, ValueError):
            return JsonResponse({"widgets": dict.fromkeys(WIDGETS), "unavailable": list(WIDGETS)})

    return JsonResponse({"widgets": dict(zip(WIDGETS, results, strict=True)), "unavailable": []})
