"""Wrong: when the rates service fails, converts at the last rate it gave for the same pair
of currencies, however old: a rate the service is not giving now."""

import httpx
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"
# The last rate the service gave for each pair, for the days it does not answer.
_last_rates = {}


async def convert(request):
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
        rate = _last_rates.get((source, target))
        if rate is None:
            return JsonResponse({"error": "exchange rates unavailable"}, status=502)
    _last_rates[source, target] = rate

    return JsonResponse(
        {
            "amount": amount,
            "from": source,
            "to": target,
            "rate": rate,
            "converted": round(amount * rate, 2),
        }
    )
