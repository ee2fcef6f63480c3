"""Wrong: partial failure handled, but the stocks widget uses a sync httpx.Client for its
signed requests: the event loop stops for the whole call, every request on the server with it."""

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
    if "stocks" in url:
        # The stocks service needs its own client settings (it signs every request).
        with httpx.Client(timeout=5, headers={"x-signed": "1"}) as stocks:
            response = stocks.get(url, params={"user": user})
    else:
        response = await client.get(url, params={"user": user})
    response.raise_for_status()
    return response.json()


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

    widgets, unavailable = {}, []
    for name, result in zip(WIDGETS, results, strict=True):
        if isinstance(result, Exception):
            widgets[name] = None
            unavailable.append(name)
        else:
            widgets[name] = result
    return JsonResponse({"widgets": widgets, "unavailable": unavailable})
