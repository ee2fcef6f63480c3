"""Wrong: waits with asyncio.wait(FIRST_EXCEPTION), cancels whatever is still loading when a
service fails and marks it unavailable: nothing is left running, but a slower healthy widget
is thrown away with the broken one."""

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
        _, pending = await asyncio.wait(tasks.values(), return_when=asyncio.FIRST_EXCEPTION)
        for task in pending:
            task.cancel()
        await asyncio.wait(tasks.values())

    def loaded(task):
        return not task.cancelled() and task.exception() is None

    widgets = {name: task.result() if loaded(task) else None for name, task in tasks.items()}
    unavailable = [name for name, task in tasks.items() if not loaded(task)]
    return JsonResponse({"widgets": widgets, "unavailable": unavailable})
