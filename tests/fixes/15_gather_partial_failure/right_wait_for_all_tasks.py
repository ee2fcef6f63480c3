"""Right: one task per widget, asyncio.wait for all of them (ALL_COMPLETED), then each task
says for itself whether it has data or an exception."""

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
        await asyncio.wait(tasks.values())

    widgets = {
        name: None if task.exception() is not None else task.result()
        for name, task in tasks.items()
    }
    unavailable = [name for name, task in tasks.items() if task.exception() is not None]
    return JsonResponse({"widgets": widgets, "unavailable": unavailable})
