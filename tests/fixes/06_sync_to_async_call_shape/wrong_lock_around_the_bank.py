"""Wrong: fixes the call's shape, and holds one asyncio.Lock around it "so the bank's client
is not shared between threads". The loop is free, but visitors queue for the lock: four
visitors at once wait four round trips to the bank, one after another."""

import asyncio

import httpx
from asgiref.sync import sync_to_async
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"
TICKET_PRICE_EUR = 45


def exchange_rate(currency):
    """How many ``currency`` one euro buys today: a blocking HTTP request to the bank."""
    response = httpx.get(RATES_SERVICE, params={"from": "EUR", "to": currency}, timeout=10)
    response.raise_for_status()
    return response.json()["rate"]


async def ticket_price(request, currency):
    try:
        async with bank_lock():
            rate = await sync_to_async(exchange_rate)(currency)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"currency": currency, "error": "no rate from the bank"}, status=502)
    return JsonResponse({"currency": currency, "price": round(TICKET_PRICE_EUR * rate, 2)})


_locks = {}


def bank_lock():
    """One lock per event loop (a Lock belongs to the loop it was first used on)."""
    loop = asyncio.get_running_loop()
    return _locks.setdefault(loop, asyncio.Lock())
