"""Wrong: moves httpx.get off the loop, into one worker thread shared by the whole process.
The loop stays free, but the calls queue for that one thread: five visitors still get their
rates one after another."""

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor

import httpx
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"
RATES_THREAD = ThreadPoolExecutor(max_workers=1)


async def convert(request):
    amount = float(request.GET.get("amount", "1"))
    source = request.GET.get("from", "EUR")
    target = request.GET.get("to", "USD")

    try:
        response = await asyncio.get_running_loop().run_in_executor(
            RATES_THREAD,
            functools.partial(httpx.get, RATES_SERVICE, params={"base": source}, timeout=5),
        )
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
