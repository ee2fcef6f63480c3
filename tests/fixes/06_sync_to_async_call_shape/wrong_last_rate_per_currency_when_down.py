"""Wrong: fixes the call's shape, and when the bank fails, prices the ticket at the last rate
the bank gave for that currency, with a 200. Rates move: the visitor is shown a price at a
rate the bank no longer gives, and nobody learns the bank is down."""

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


last_rates = {}


async def ticket_price(request, currency):
    try:
        rate = last_rates[currency] = await sync_to_async(exchange_rate)(currency)
    except (httpx.HTTPError, ValueError):
        if currency not in last_rates:
            return JsonResponse(
                {"currency": currency, "error": "no rate from the bank"}, status=502
            )
        rate = last_rates[currency]
    return JsonResponse({"currency": currency, "price": round(TICKET_PRICE_EUR * rate, 2)})
