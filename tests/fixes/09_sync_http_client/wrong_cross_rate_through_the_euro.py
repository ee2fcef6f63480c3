"""Wrong: always asks for euro rates and works out the pair's rate from two of them: a rate
the service did not give, off in the last digits."""

import httpx
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"


async def convert(request):
    amount = float(request.GET.get("amount", "1"))
    source = request.GET.get("from", "EUR")
    target = request.GET.get("to", "USD")

    try:
        # httpx.get is a sync call: it blocks the thread it runs on, here the event loop's,
        # so every visitor waited for this one's network round trip. AsyncClient sends the
        # request and awaits the answer: while it travels, the loop serves the others.
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(RATES_SERVICE, params={"base": "EUR"})
        rates = {"EUR": 1.0, **response.json()["rates"]}
        response.raise_for_status()
        # Every pair through the euro: one base for every request.
        rate = round(rates[target] / rates[source], 6)
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
