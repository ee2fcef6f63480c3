"""Wrong: a TaskGroup with no error handling inside the tasks. When one service fails, the
group cancels the other widgets' calls; the view then shows every widget that had not
answered yet as unavailable, though its service was fine and only a little slower."""

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
    tasks = {}
    try:
        async with httpx.AsyncClient(timeout=5) as client, asyncio.TaskGroup() as group:
            for name, url in WIDGETS.items():
                tasks[name] = group.create_task(load_widget(client, url, user))
    except* (httpx.HTTPError, ValueError):
        pass

    def loaded(task):
        return task.done() and not task.cancelled() and task.exception() is None

    widgets = {name: task.result() if loaded(task) else None for name, task in tasks.items()}
    unavailable = [name for name, task in tasks.items() if not loaded(task)]
    return JsonResponse({"widgets": widgets, "unavailable": unavailable})
