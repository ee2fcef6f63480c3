"""Wrong: turns the view into a plain `def` view, which Django runs in a worker thread; it
works, but the view is no longer async, which the kata is about."""

import httpx
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"
TICKET_PRICE_EUR = 45

# The shop's sync client for the bank: one connection pool, shared by every call.
bank = httpx.Client(timeout=10)


def exchange_rate(currency):
    """How many ``currency`` one euro buys today: a blocking HTTP request to the bank."""
    response = bank.get(RATES_SERVICE, params={"from": "EUR", "to": currency})
    response.raise_for_status()
    return response.json()["rate"]


def ticket_price(request, currency):
    rate = exchange_rate(currency)
    return JsonResponse({"currency": currency, "price": round(TICKET_PRICE_EUR * rate, 2)})
