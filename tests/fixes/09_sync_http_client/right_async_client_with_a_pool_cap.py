"""Right: awaits the rates with an AsyncClient whose pool is capped (httpx.Limits), as a
production service often does, and tells a slow service (504) from a broken one (502)."""

import httpx
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"
LIMITS = httpx.Limits(max_connections=20, max_keepalive_connections=5)


async def convert(request):
    amount = float(request.GET.get("amount", "1"))
    source = request.GET.get("from", "EUR")
    target = request.GET.get("to", "USD")

    try:
        async with httpx.AsyncClient(timeout=httpx.Timeout(3.0), limits=LIMITS) as client:
            response = await client.get(RATES_SERVICE, params={"base": source})
            response.raise_for_status()
            rate = response.json()["rates"][target]
    except httpx.TimeoutException:
        return JsonResponse({"error": "exchange rates too slow"}, status=504)
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
