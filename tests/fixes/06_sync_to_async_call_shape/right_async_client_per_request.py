"""Right: leaves the sync exchange_rate to the invoicing code and asks the bank from the view
with an httpx.AsyncClient of its own, closed after the call. (What a client per request costs
on the loop is kata 34's lesson, not this one's.)"""

import httpx
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
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.get(RATES_SERVICE, params={"from": "EUR", "to": currency})
        response.raise_for_status()
        rate = response.json()["rate"]
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"currency": currency, "error": "no rate from the bank"}, status=502)
    return JsonResponse({"currency": currency, "price": round(TICKET_PRICE_EUR * rate, 2)})
