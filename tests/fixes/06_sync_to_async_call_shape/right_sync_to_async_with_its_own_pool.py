"""Right: hands sync_to_async the helper itself, not its result, with a pool of its own
(thread_sensitive=False, executor=...): the bank calls run side by side, off the loop."""

from concurrent.futures import ThreadPoolExecutor

import httpx
from asgiref.sync import sync_to_async
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"
TICKET_PRICE_EUR = 45
BANK_CALLS = ThreadPoolExecutor(max_workers=16, thread_name_prefix="bank")


def exchange_rate(currency):
    """How many ``currency`` one euro buys today: a blocking HTTP request to the bank."""
    response = httpx.get(RATES_SERVICE, params={"from": "EUR", "to": currency}, timeout=10)
    response.raise_for_status()
    return response.json()["rate"]


async def ticket_price(request, currency):
    ask = sync_to_async(exchange_rate, thread_sensitive=False, executor=BANK_CALLS)
    try:
        rate = await ask(currency)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"currency": currency, "error": "no rate from the bank"}, status=502)
    return JsonResponse({"currency": currency, "price": round(TICKET_PRICE_EUR * rate, 2)})
