"""Right: runs the blocking call in the loop's default thread pool with run_in_executor, and
tells the bank's failures apart: 504 when it did not answer in time, 502 otherwise."""

import asyncio

import httpx
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"
TICKET_PRICE_EUR = 45


def exchange_rate(currency):
    """How many ``currency`` one euro buys today: a blocking HTTP request to the bank."""
    response = httpx.get(RATES_SERVICE, params={"from": "EUR", "to": currency}, timeout=10)
    response.raise_for_status()
    return response.json()["rate"]


async def ticket_price(request, currency):
    loop = asyncio.get_running_loop()
    try:
        rate = await loop.run_in_executor(None, exchange_rate, currency)
    except httpx.TimeoutException:
        return JsonResponse({"currency": currency, "error": "the bank is slow"}, status=504)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"currency": currency, "error": "no rate from the bank"}, status=502)
    return JsonResponse({"currency": currency, "price": round(TICKET_PRICE_EUR * rate, 2)})
