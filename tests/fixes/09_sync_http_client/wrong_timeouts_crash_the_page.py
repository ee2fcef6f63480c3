"""Wrong: awaits the rates, but reports only an error status or a refused connection as a
502: a timeout, a dropped connection or a body that is not JSON is still a 500."""

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
        response.raise_for_status()
    except (httpx.HTTPStatusError, httpx.ConnectError):
        return JsonResponse({"error": "exchange rates unavailable"}, status=502)
    rate = response.json()["rates"][target]

    return JsonResponse(
        {
            "amount": amount,
            "from": source,
            "to": target,
            "rate": rate,
            "converted": round(amount * rate, 2),
        }
    )
