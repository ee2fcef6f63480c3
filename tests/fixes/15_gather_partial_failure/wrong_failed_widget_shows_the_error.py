"""Wrong: a failed widget shows the error text in place of its data, instead of null: the
page's widgets cannot tell an error from data."""

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
        results = await asyncio.gather(
            *(load_widget(client, url, user) for url in WIDGETS.values()), return_exceptions=True
        )
    widgets, unavailable = {}, []
    for name, result in zip(WIDGETS, results, strict=True):
        if isinstance(result, Exception):
            widgets[name] = {"error": f"{type(result).__name__}: {result}"}
            unavailable.append(name)
        else:
            widgets[name] = result
    return JsonResponse({"widgets": widgets, "unavailable": unavailable})
