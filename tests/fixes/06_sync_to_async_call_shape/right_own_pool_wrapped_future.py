"""Right: submits the call to a thread pool of the view's own and awaits it through
asyncio.wrap_future, so the loop waits without blocking; the pool is big enough for a rush."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"
TICKET_PRICE_EUR = 45


def exchange_rate(currency):
    """How many ``currency`` one euro buys today: a blocking HTTP request to the bank."""
    response = httpx.get(RATES_SERVICE, params={"from": "EUR", "to": currency}, timeout=10)
    response.raise_for_status()
    return response.json()["rate"]


BANK_POOL = ThreadPoolExecutor(max_workers=16, thread_name_prefix="bank")


async def ticket_price(request, currency):
    try:
        rate = await asyncio.wrap_future(BANK_POOL.submit(exchange_rate, currency))
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"currency": currency, "error": "no rate from the bank"}, status=502)
    return JsonResponse({"currency": currency, "price": round(TICKET_PRICE_EUR * rate, 2)})
