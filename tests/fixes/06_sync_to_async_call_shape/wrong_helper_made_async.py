"""Wrong: decorates the shared helper itself with @sync_to_async: the view works, but the sync
invoicing code that calls exchange_rate("NOK") now gets a coroutine instead of a rate."""

import httpx
from asgiref.sync import sync_to_async
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"
TICKET_PRICE_EUR = 45


@sync_to_async
def exchange_rate(currency):
    """How many ``currency`` one euro buys today: a blocking HTTP request to the bank."""
    response = httpx.get(RATES_SERVICE, params={"from": "EUR", "to": currency}, timeout=10)
    response.raise_for_status()
    return response.json()["rate"]


async def ticket_price(request, currency):
    try:
        rate = await exchange_rate(currency)
    except (httpx.HTTPError, ValueError):
        # 502 Bad Gateway: the bank failed; the shop shows the price in euros meanwhile.
        return JsonResponse({"currency": currency, "error": "no rate from the bank"}, status=502)
    return JsonResponse({"currency": currency, "price": round(TICKET_PRICE_EUR * rate, 2)})
