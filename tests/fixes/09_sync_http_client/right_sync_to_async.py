"""Right under a real ASGI server: sync_to_async with its default thread_sensitive=True runs
the call in the thread of this request's ThreadSensitiveContext, which Django's ASGIHandler
opens per request, so requests overlap. (Under Django's test AsyncClient, which opens no such
context, they would all share one thread and queue: the dojo's harness opens one per request.)"""

import httpx
from asgiref.sync import sync_to_async
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"


async def convert(request):
    amount = float(request.GET.get("amount", "1"))
    source = request.GET.get("from", "EUR")
    target = request.GET.get("to", "USD")

    try:
        response = await sync_to_async(httpx.get)(RATES_SERVICE, params={"base": source}, timeout=5)
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
