"""Right: runs the sync helper in a worker thread with anyio (which httpx already brings),
awaited, so the loop is free and each visitor gets a thread of their own."""

import anyio
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
    try:
        rate = await anyio.to_thread.run_sync(exchange_rate, currency)
    except (httpx.HTTPError, ValueError):
        # 502 Bad Gateway: the bank failed; the shop shows the price in euros meanwhile.
        return JsonResponse({"currency": currency, "error": "no rate from the bank"}, status=502)
    return JsonResponse({"currency": currency, "price": round(TICKET_PRICE_EUR * rate, 2)})
