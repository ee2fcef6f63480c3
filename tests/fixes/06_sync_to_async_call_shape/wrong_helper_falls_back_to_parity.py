"""Wrong: the helper answers 1.0 when the bank fails, and the view checks for the failure
itself first: visitors get a 502, the invoicing code a made-up rate of one to one."""

import httpx
from asgiref.sync import sync_to_async
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"
TICKET_PRICE_EUR = 45


def ask_the_bank(currency):
    response = httpx.get(RATES_SERVICE, params={"from": "EUR", "to": currency}, timeout=10)
    response.raise_for_status()
    return response.json()["rate"]


def exchange_rate(currency):
    """How many ``currency`` one euro buys today; parity when the bank is down."""
    try:
        return ask_the_bank(currency)
    except (httpx.HTTPError, ValueError):
        return 1.0


async def ticket_price(request, currency):
    try:
        rate = await sync_to_async(ask_the_bank)(currency)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"currency": currency, "error": "no rate from the bank"}, status=502)
    return JsonResponse({"currency": currency, "price": round(TICKET_PRICE_EUR * rate, 2)})
