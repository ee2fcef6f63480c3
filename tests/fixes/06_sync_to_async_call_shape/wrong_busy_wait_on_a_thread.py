"""Wrong: starts a thread for the bank call by hand and waits for it with
`await asyncio.sleep(0)` in a loop. The loop is never blocked for long, but it spins at full
speed the whole time the bank takes to answer, burning the CPU the other requests need."""

import asyncio
import threading

import httpx
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"
TICKET_PRICE_EUR = 45


def exchange_rate(currency):
    """How many ``currency`` one euro buys today: a blocking HTTP request to the bank."""
    response = httpx.get(RATES_SERVICE, params={"from": "EUR", "to": currency}, timeout=10)
    response.raise_for_status()
    return response.json()["rate"]


async def rate_in_a_thread(currency):
    outcome = {}

    def run():
        try:
            outcome["rate"] = exchange_rate(currency)
        except Exception as error:
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    while thread.is_alive():
        await asyncio.sleep(0)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["rate"]


async def ticket_price(request, currency):
    try:
        rate = await rate_in_a_thread(currency)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"currency": currency, "error": "no rate from the bank"}, status=502)
    return JsonResponse({"currency": currency, "price": round(TICKET_PRICE_EUR * rate, 2)})
