"""Wrong: fixes the call's shape, and keeps each currency's first rate for ever, "one call to
the bank per currency is plenty". Rates change every day: tomorrow's visitors pay at
today's rate, and a bank that is down is never noticed."""

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


rates = {}


async def ticket_price(request, currency):
    if currency not in rates:
        try:
            rates[currency] = await sync_to_async(exchange_rate)(currency)
        except (httpx.HTTPError, ValueError):
            return JsonResponse(
                {"currency": currency, "error": "no rate from the bank"}, status=502
            )
    return JsonResponse(
        {"currency": currency, "price": round(TICKET_PRICE_EUR * rates[currency], 2)}
    )
