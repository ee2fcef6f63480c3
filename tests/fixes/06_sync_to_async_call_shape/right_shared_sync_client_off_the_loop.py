"""Right: the helper uses one shared httpx.Client (thread-safe, connections reused) and stays
sync; the view runs it off the loop with sync_to_async, each visitor in a thread of its own."""

import httpx
from asgiref.sync import sync_to_async
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"
TICKET_PRICE_EUR = 45
bank = httpx.Client(timeout=10)


def exchange_rate(currency):
    """How many ``currency`` one euro buys today: a blocking HTTP request to the bank."""
    response = bank.get(RATES_SERVICE, params={"from": "EUR", "to": currency})
    response.raise_for_status()
    return response.json()["rate"]


async def ticket_price(request, currency):
    try:
        rate = await sync_to_async(exchange_rate, thread_sensitive=False)(currency)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"currency": currency, "error": "no rate from the bank"}, status=502)
    return JsonResponse({"currency": currency, "price": round(TICKET_PRICE_EUR * rate, 2)})
