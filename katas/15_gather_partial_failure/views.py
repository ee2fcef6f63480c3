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


async def dashboard(request):
    user = request.GET.get("user", "guest")
    async with httpx.AsyncClient(timeout=5) as client:
        # TODO: what happens to the whole page, and to the other calls, when one of these
        # services fails?
        results = await asyncio.gather(
            *(load_widget(client, url, user) for url in WIDGETS.values())
        )

    return JsonResponse({"widgets": dict(zip(WIDGETS, results)), "unavailable": []})
