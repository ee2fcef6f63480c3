"""Wrong: waits for every widget, and reports each failed one to ops in a task nobody
awaits: the task outlives the response, and its errors go unseen."""

import asyncio

import httpx
from django.http import JsonResponse

# Each widget of the dashboard, and the service it comes from.
WIDGETS = {
    "weather": "http://weather.example/today",
    "news": "http://news.example/headlines",
    "portfolio": "http://stocks.example/portfolio",
}


async def load_widget(client, url, user):
    """One widget's data, from the service behind it."""
    response = await client.get(url, params={"user": user})
    response.raise_for_status()
    return response.json()


async def report_outage(url):
    """Tell the ops channel a widget's service failed (a slow webhook, not awaited)."""
    await asyncio.sleep(0.5)


async def dashboard(request):
    user = request.GET.get("user", "guest")
    async with httpx.AsyncClient(timeout=5) as client:
        # Plain gather raises the first failure at once and abandons the other calls, still
        # running, behind the 500. With return_exceptions=True it waits for every widget and
        # hands back a failed widget's exception as its result, whatever the failure (an
        # error status, a body that is not JSON, no connection): one broken service costs one
        # widget, not the page.
        results = await asyncio.gather(
            *(load_widget(client, url, user) for url in WIDGETS.values()),
            return_exceptions=True,
        )
        # Answers that came back as exceptions: the widget failed, tell the ops channel.
        for url, result in zip(WIDGETS.values(), results, strict=True):
            if isinstance(result, Exception):
                asyncio.get_running_loop().create_task(report_outage(url))

    widgets, unavailable = {}, []
    for name, result in zip(WIDGETS, results, strict=True):
        if isinstance(result, Exception):
            widgets[name] = None
            unavailable.append(name)
        else:
            widgets[name] = result
    return JsonResponse({"widgets": widgets, "unavailable": unavailable})
