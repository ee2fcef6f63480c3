"""Wrong: asyncio.wait with a timeout of half a second, the widgets not done by then called
unavailable and cancelled: a slow day's widget is given up though its service is fine."""

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
        tasks = {
            name: asyncio.create_task(load_widget(client, url, user))
            for name, url in WIDGETS.items()
        }
        await asyncio.wait(tasks.values(), timeout=0.25)
        for task in tasks.values():
            task.cancel()
        await asyncio.gather(*tasks.values(), return_exceptions=True)
    widgets, unavailable = {}, []
    for name, task in tasks.items():
        if task.cancelled() or task.exception() is not None:
            widgets[name] = None
            unavailable.append(name)
        else:
            widgets[name] = task.result()
    return JsonResponse({"widgets": widgets, "unavailable": unavailable})
