"""Wrong: turns the view into a plain `def` view, which Django runs in a worker thread; it
works, but the view is no longer async, which the kata is about."""

import httpx
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"
TICKET_PRICE_EUR = 45


def exchange_rate(currency):
    """How many ``currency`` one euro buys today: a blocking HTTP request to the bank."""
    response = httpx.get(RATES_SERVICE, params={"from": "EUR", "to": currency}, timeout=10)
    response.raise_for_status()
    return response.json()["rate"]


def ticket_price(request, currency):
    try:
        rate = exchange_rate(currency)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"currency": currency, "error": "no rate from the bank"}, status=502)
    return JsonResponse({"currency": currency, "price": round(TICKET_PRICE_EUR * rate, 2)})
