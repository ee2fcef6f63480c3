"""Wrong: runs httpx.get in a worker thread, then waits for it by spinning on
`await asyncio.sleep(0)` until it is done. The loop is never blocked for long, but it burns a
core doing nothing for every visitor who waits."""

import asyncio
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
