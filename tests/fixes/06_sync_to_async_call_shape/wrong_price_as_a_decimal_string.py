"""Wrong: computes the price in Decimal, as money should be, but hands the Decimal to
JsonResponse, which sends it as a string ("523.35"): the shop's page expects a number."""

from decimal import ROUND_HALF_UP, Decimal

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
        rate = await sync_to_async(exchange_rate)(currency)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"currency": currency, "error": "no rate from the bank"}, status=502)
    price = (TICKET_PRICE_EUR * Decimal(str(rate))).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return JsonResponse({"currency": currency, "price": price})
