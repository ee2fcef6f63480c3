"""Wrong: starts the helper on a thread and checks for its answer every millisecond: the loop
is not held, but it is kept busy spinning for as long as the bank takes."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"
TICKET_PRICE_EUR = 45
_pool = ThreadPoolExecutor(max_workers=16)


def exchange_rate(currency):
    """How many ``currency`` one euro buys today: a blocking HTTP request to the bank."""
    response = httpx.get(RATES_SERVICE, params={"from": "EUR", "to": currency}, timeout=10)
    response.raise_for_status()
    return response.json()["rate"]


async def ticket_price(request, currency):
    try:
        future = _pool.submit(exchange_rate, currency)
        while not future.done():
            await asyncio.sleep(0.001)
        rate = future.result()
    except (httpx.HTTPError, ValueError):
        # 502 Bad Gateway: the bank failed; the shop shows the price in euros meanwhile.
        return JsonResponse({"currency": currency, "error": "no rate from the bank"}, status=502)
    return JsonResponse({"currency": currency, "price": round(TICKET_PRICE_EUR * rate, 2)})
