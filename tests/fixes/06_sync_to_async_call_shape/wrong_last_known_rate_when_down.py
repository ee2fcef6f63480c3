"""Wrong: fixes the call's shape, and when the bank fails, prices the ticket at the last rate
it saw for any currency (or 1.0), with a 200. The visitor is shown a price the bank never
gave, in good faith: a made-up answer is worse than "prices in euros for now"."""

import httpx
from asgiref.sync import sync_to_async
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"
TICKET_PRICE_EUR = 45
last_rate = 1.0


def exchange_rate(currency):
    """How many ``currency`` one euro buys today: a blocking HTTP request to the bank."""
    response = httpx.get(RATES_SERVICE, params={"from": "EUR", "to": currency}, timeout=10)
    response.raise_for_status()
    return response.json()["rate"]


async def ticket_price(request, currency):
    global last_rate
    try:
        rate = last_rate = await sync_to_async(exchange_rate)(currency)
    except (httpx.HTTPError, ValueError):
        rate = last_rate
    return JsonResponse({"currency": currency, "price": round(TICKET_PRICE_EUR * rate, 2)})
