"""Wrong: runs the helper in a thread, but lets only three visitors ask the bank at once
("to be kind to the bank"): the fourth visitor waits a whole round trip for a free seat."""

import asyncio

import httpx
from asgiref.sync import sync_to_async
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"
TICKET_PRICE_EUR = 45
BANK_SEATS = asyncio.Semaphore(3)


def exchange_rate(currency):
    """How many ``currency`` one euro buys today: a blocking HTTP request to the bank."""
    response = httpx.get(RATES_SERVICE, params={"from": "EUR", "to": currency}, timeout=10)
    response.raise_for_status()
    return response.json()["rate"]


async def ticket_price(request, currency):
    try:
        async with BANK_SEATS:
            rate = await sync_to_async(exchange_rate)(currency)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"currency": currency, "error": "no rate from the bank"}, status=502)
    return JsonResponse({"currency": currency, "price": round(TICKET_PRICE_EUR * rate, 2)})
