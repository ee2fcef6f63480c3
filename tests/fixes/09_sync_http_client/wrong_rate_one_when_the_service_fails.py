"""Wrong: awaits the rates with AsyncClient, and when the rates service fails in any way, falls
back to a rate of 1: the page shows a made-up price as if it were today's."""

import httpx
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"


async def convert(request):
    amount = float(request.GET.get("amount", "1"))
    source = request.GET.get("from", "EUR")
    target = request.GET.get("to", "USD")

    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(RATES_SERVICE, params={"base": source})
        rate = response.json()["rates"][target]
    except Exception:
        rate = 1.0

    return JsonResponse(
        {
            "amount": amount,
            "from": source,
            "to": target,
            "rate": rate,
            "converted": round(amount * rate, 2),
        }
    )
