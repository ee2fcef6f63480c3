"""Wrong: waits for the first failure, marks that widget unavailable, then gathers the rest
the old way: a second service failing on the same bad minute still turns the page into a
500."""

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
    async with httpx.AsyncClient(timeout=5) as client:
        tasks = {
            name: asyncio.create_task(load_widget(client, url, user))
            for name, url in WIDGETS.items()
        }
        _, pending = await asyncio.wait(tasks.values(), return_when=asyncio.FIRST_EXCEPTION)
        await asyncio.gather(*pending)

    for name, task in tasks.items():
        if task.exception() is not None:
            widgets[name] = None
            unavailable.append(name)
        else:
            widgets[name] = task.result()
    return JsonResponse({"widgets": widgets, "unavailable": unavailable})
