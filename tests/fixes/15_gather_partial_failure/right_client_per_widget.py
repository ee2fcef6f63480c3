"""Right: each widget opens its own short-lived client (closed on the way out, whatever
happened) and turns its service's failure into None; gather then never sees an error."""

import asyncio

import httpx
from django.http import JsonResponse

WIDGETS = {
    "weather": "http://weather.example/today",
    "news": "http://news.example/headlines",
    "portfolio": "http://stocks.example/portfolio",
}


async def load_widget(url, user):
    async with httpx.AsyncClient(timeout=httpx.Timeout(3, connect=1)) as client:
        try:
            response = await client.get(url, params={"user": user})
            if response.status_code >= 400:
                return None
            return response.json()
        except (httpx.TransportError, ValueError):
            return None


async def dashboard(request):
    user = request.GET.get("user", "guest")
    results = await asyncio.gather(*(load_widget(url, user) for url in WIDGETS.values()))
    widgets = dict(zip(WIDGETS, results, strict=True))
    return JsonResponse(
        {"widgets": widgets, "unavailable": [name for name in WIDGETS if widgets[name] is None]}
    )
