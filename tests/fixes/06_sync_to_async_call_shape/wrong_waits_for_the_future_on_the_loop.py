"""Wrong: hands the bank call to a thread pool, then waits for it with future.result() on the
event loop. The call runs in a worker thread, but the loop is blocked just the same until
it ends: every other request waits."""

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


POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="bank")


async def ticket_price(request, currency):
    try:
        rate = POOL.submit(exchange_rate, currency).result()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"currency": currency, "error": "no rate from the bank"}, status=502)
    return JsonResponse({"currency": currency, "price": round(TICKET_PRICE_EUR * rate, 2)})
