"""Wrong: switches to AsyncClient, and asks for the EUR rates whatever the visitor converts
from, as in the README's example URL. Right for prices in EUR, wrong for every other currency."""

import httpx
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"


async def convert(request):
    amount = float(request.GET.get("amount", "1"))
    source = request.GET.get("from", "EUR")
    target = request.GET.get("to", "USD")

    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(RATES_SERVICE, params={"base": "EUR"})
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
