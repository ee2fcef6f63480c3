"""Wrong: gives the widgets a shared deadline of 0.25 s and calls whatever is late
unavailable: on a slow day, a portfolio that would have loaded in 0.3 s is thrown away
though nothing was wrong with its service."""

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
        done, pending = await asyncio.wait(tasks.values(), timeout=0.25)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    widgets, unavailable = {}, []
    for name, task in tasks.items():
        if task in done and task.exception() is None:
            widgets[name] = task.result()
        else:
            widgets[name] = None
            unavailable.append(name)
    return JsonResponse({"widgets": widgets, "unavailable": unavailable})
