"""Wrong: blames the new connection per call and keeps one sync httpx.Client for the process.
Reusing connections saves a little per call, but each call still blocks the event loop."""

import httpx
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"
client = httpx.Client(timeout=5)


async def convert(request):
    amount = float(request.GET.get("amount", "1"))
    source = request.GET.get("from", "EUR")
    target = request.GET.get("to", "USD")

    try:
        response = client.get(RATES_SERVICE, params={"base": source})
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
