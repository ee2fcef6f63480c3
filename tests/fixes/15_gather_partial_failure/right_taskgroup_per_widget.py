"""Right: each widget's task catches its own service's errors inside a TaskGroup, so one
failure never reaches the group, and the group waits for every widget."""

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
    widgets, unavailable = {}, []

    async def fill(client, name, url):
        try:
            widgets[name] = await load_widget(client, url, user)
        except (httpx.HTTPError, ValueError):
            widgets[name] = None
            unavailable.append(name)

    async with httpx.AsyncClient(timeout=5) as client, asyncio.TaskGroup() as group:
        for name, url in WIDGETS.items():
            group.create_task(fill(client, name, url))

    return JsonResponse(
        {"widgets": {name: widgets[name] for name in WIDGETS}, "unavailable": unavailable}
    )
