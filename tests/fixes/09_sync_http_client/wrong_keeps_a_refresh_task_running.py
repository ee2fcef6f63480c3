"""Wrong: converts with AsyncClient, but starts a background task on the first request that
refreshes the rates for ever: a task left running after every response, asking for nothing
anyone reads."""

import asyncio

import httpx
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"


refresher = None


async def keep_rates_fresh():
    """Warm the rates service's cache every few seconds."""
    while True:
        async with httpx.AsyncClient(timeout=5) as client:
            try:
                await client.get(RATES_SERVICE, params={"base": "EUR"})
            except httpx.HTTPError:
                pass
        await asyncio.sleep(5)


async def convert(request):
    global refresher
    if refresher is None or refresher.done():
        refresher = asyncio.create_task(keep_rates_fresh())
    amount = float(request.GET.get("amount", "1"))
    source = request.GET.get("from", "EUR")
    target = request.GET.get("to", "USD")

    try:
        # httpx.get is a sync call: it blocks the thread it runs on, here the event loop's,
        # so every visitor waited for this one's network round trip. AsyncClient sends the
        # request and awaits the answer: while it travels, the loop serves the others.
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(RATES_SERVICE, params={"base": source})
        response.raise_for_status()
        rate = response.json()["rates"][target]
    except (httpx.HTTPError, ValueError):
        # 502 Bad Gateway: the product page then shows the price in the shop's own currency.
        return JsonResponse({"error": "exchange rates unavailable"}, status=502)

    return JsonResponse(
        {
            "amount": amount,
            "from": source,
            "to": target,
            "rate": rate,
            "converted": round(amount * rate, 2),
        }
    )
