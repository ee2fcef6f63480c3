"""Wrong: a failed widget shows the last data its service gave for that user (kept for ever), named unavailable, instead of null."""

import asyncio

import httpx
from django.http import JsonResponse

WIDGETS = {
    "weather": "http://weather.example/today",
    "news": "http://news.example/headlines",
    "portfolio": "http://stocks.example/portfolio",
}
_last_good = {}


async def load_widget(client, url, user):
    response = await client.get(url, params={"user": user})
    response.raise_for_status()
    return response.json()


async def dashboard(request):
    user = request.GET.get("user", "guest")
    async with httpx.AsyncClient(timeout=5) as client:
        results = await asyncio.gather(
            *(load_widget(client, url, user) for url in WIDGETS.values()),
            return_exceptions=True,
        )

    widgets, unavailable = {}, []
    for name, result in zip(WIDGETS, results, strict=True):
        if isinstance(result, Exception):
            # Better yesterday's data than a hole in the page.
            widgets[name] = _last_good.get((user, name))
            unavailable.append(name)
        else:
            widgets[name] = _last_good[(user, name)] = result
    return JsonResponse({"widgets": widgets, "unavailable": unavailable})
