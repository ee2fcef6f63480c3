"""Wrong: moves the sync call into an `async def` helper and awaits that. The helper's body
still calls httpx.get on the loop's thread: awaiting a coroutine does not make it non-blocking."""

import httpx
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"


async def fetch_rates(base):
    return httpx.get(RATES_SERVICE, params={"base": base}, timeout=5)


async def convert(request):
    amount = float(request.GET.get("amount", "1"))
    source = request.GET.get("from", "EUR")
    target = request.GET.get("to", "USD")

    try:
        response = await fetch_rates(source)
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
