"""Wrong: runs httpx.get in a worker thread, then checks on it every 0.02 s with time.sleep,
awaiting between checks so that no single stall passes the limit. The slices add up: while
the visitors wait, the loop is held most of the time."""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"
WORKERS = ThreadPoolExecutor(max_workers=8)


async def convert(request):
    amount = float(request.GET.get("amount", "1"))
    source = request.GET.get("from", "EUR")
    target = request.GET.get("to", "USD")

    try:
        call = WORKERS.submit(httpx.get, RATES_SERVICE, params={"base": source}, timeout=5)
        while not call.done():
            time.sleep(0.02)
            await asyncio.sleep(0)
        response = call.result()
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
