import httpx
from asgiref.sync import sync_to_async
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


async def ticket_price(request, currency):
    # sync_to_async(function) wraps the function itself (not its result) into an async
    # function; calling that with the arguments and awaiting it runs the blocking call in a
    # worker thread, so the event loop stays free for other requests meanwhile.
    rate = await sync_to_async(exchange_rate)(currency)
    return JsonResponse({"currency": currency, "price": round(TICKET_PRICE_EUR * rate, 2)})
