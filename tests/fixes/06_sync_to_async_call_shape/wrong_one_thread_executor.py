"""Wrong: runs the bank call in a worker thread, but in one shared single-thread executor
("so the bank is not flooded"). The loop is free, yet visitors queue for that one thread:
four visitors at once wait four round trips to the bank, one after another."""

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


BANK_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bank")


async def ticket_price(request, currency):
    try:
        rate = await asyncio.get_running_loop().run_in_executor(
            BANK_THREAD, exchange_rate, currency
        )
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"currency": currency, "error": "no rate from the bank"}, status=502)
    return JsonResponse({"currency": currency, "price": round(TICKET_PRICE_EUR * rate, 2)})
