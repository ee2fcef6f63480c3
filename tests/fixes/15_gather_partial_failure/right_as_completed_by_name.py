"""Right: each loader hands back its widget's name with the data, so reading the widgets
as they finish (as_completed) cannot mix them up; each failure is caught where it happens."""

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
    except (httpx.HTTPError, ValueError):
        return name, None


async def dashboard(request):
    user = request.GET.get("user", "guest")
    widgets, unavailable = dict.fromkeys(WIDGETS), []
    async with httpx.AsyncClient(timeout=5) as client:
        for next_done in asyncio.as_completed(
            [load_widget(client, name, url, user) for name, url in WIDGETS.items()]
        ):
            name, data = await next_done
            widgets[name] = data
            if data is None:
                unavailable.append(name)
    return JsonResponse({"widgets": widgets, "unavailable": unavailable})
