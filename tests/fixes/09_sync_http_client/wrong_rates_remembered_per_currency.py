"""Wrong: awaits the rates with an AsyncClient, and keeps each base currency's rates for good
so that the service is asked once per currency: the prices go on using the rates of the
first visit while the market moves."""

import httpx
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"

_rates = {}


async def convert(request):
    amount = float(request.GET.get("amount", "1"))
    source = request.GET.get("from", "EUR")
    target = request.GET.get("to", "USD")

    try:
        if source not in _rates:
            async with httpx.AsyncClient(timeout=5) as client:
                response = await client.get(RATES_SERVICE, params={"base": source})
            response.raise_for_status()
            _rates[source] = response.json()["rates"]
        rate = _rates[source][target]
    except (httpx.HTTPError, ValueError):
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
