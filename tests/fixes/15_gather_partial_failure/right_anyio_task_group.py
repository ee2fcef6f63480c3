"""Right: an anyio task group, each widget catching its own Exception into the page's dicts:
no widget cancels another, and a user who leaves cancels the group."""

import anyio
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


async def dashboard(request):
    user = request.GET.get("user", "guest")
    widgets, unavailable = {}, []

    async def fill(client, name, url):
        # Each widget catches its own failure, so the task group never cancels the others.
        try:
            widgets[name] = await load_widget(client, url, user)
        except Exception:
            widgets[name] = None
            unavailable.append(name)

    async with httpx.AsyncClient(timeout=5) as client, anyio.create_task_group() as group:
        for name, url in WIDGETS.items():
            group.start_soon(fill, client, name, url)
    return JsonResponse(
        {"widgets": {name: widgets[name] for name in WIDGETS}, "unavailable": unavailable}
    )
