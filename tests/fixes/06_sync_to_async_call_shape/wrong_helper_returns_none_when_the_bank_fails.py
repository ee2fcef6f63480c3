"""Wrong: fixes the call, but makes the helper swallow the bank's failures and return None:
the view turns that into a 502, and the sync invoicing code gets None for a rate."""

import httpx
from asgiref.sync import sync_to_async
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"
TICKET_PRICE_EUR = 45


def exchange_rate(currency):
    """How many ``currency`` one euro buys today, or None when the bank cannot say."""
    try:
        response = httpx.get(RATES_SERVICE, params={"from": "EUR", "to": currency}, timeout=10)
        response.raise_for_status()
        return response.json()["rate"]
    except (httpx.HTTPError, ValueError):
        return None


async def ticket_price(request, currency):
    rate = await sync_to_async(exchange_rate)(currency)
    if rate is None:
        return JsonResponse({"currency": currency, "error": "no rate from the bank"}, status=502)
    return JsonResponse({"currency": currency, "price": round(TICKET_PRICE_EUR * rate, 2)})
