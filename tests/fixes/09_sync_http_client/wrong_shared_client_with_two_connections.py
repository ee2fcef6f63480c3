"""Wrong: one shared AsyncClient for every visitor, capped at two connections: the third
visitor at once waits for a free connection, so five visitors queue in pairs."""

import httpx
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"


client = None


def rates_client():
    global client
    if client is None:
        # Two connections are plenty for one rates service.
        client = httpx.AsyncClient(timeout=5, limits=httpx.Limits(max_connections=2))
    return client


async def convert(request):
    amount = float(request.GET.get("amount", "1"))
    source = request.GET.get("from", "EUR")
    target = request.GET.get("to", "USD")

    try:
        # httpx.get is a sync call: it blocks the thread it runs on, here the event loop's,
        # so every visitor waited for this one's network round trip. AsyncClient sends the
        # request and awaits the answer: while it travels, the loop serves the others.
        response = await rates_client().get(RATES_SERVICE, params={"base": source})
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
