"""Wrong: collects each widget as its call finishes (as_completed), then pairs the results
with the widget names in the order the calls went out: whenever the services answer in
another order, the weather shows the portfolio's numbers."""

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
    results = []
    async with httpx.AsyncClient(timeout=5) as client:
        for next_done in asyncio.as_completed(
            [load_widget(client, url, user) for url in WIDGETS.values()]
        ):
            results.append(await next_done)

    widgets = dict(zip(WIDGETS, results, strict=True))
    unavailable = [name for name, data in widgets.items() if data is None]
    return JsonResponse({"widgets": widgets, "unavailable": unavailable})
