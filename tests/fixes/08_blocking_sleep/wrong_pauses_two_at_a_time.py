"""Wrong: awaits the pause, but lets only two customers pause at once "to spare the payment
provider": the third customer waits for the first two, and so on down the queue."""

import asyncio

import httpx
from django.http import JsonResponse

PAYMENTS_SERVICE = "http://payments.example/orders/{order_id}/payment"
SETTLE_DELAY = 0.3
PAUSING_AT_ONCE = 2

# One semaphore per event loop (a test, or a server process, has its own).
_pausing = {}


async def order_confirmation(request, order_id):
    loop = asyncio.get_running_loop()
    pausing = _pausing.setdefault(loop, asyncio.Semaphore(PAUSING_AT_ONCE))
    async with pausing:
        await asyncio.sleep(SETTLE_DELAY)

    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(PAYMENTS_SERVICE.format(order_id=order_id))
        response.raise_for_status()
        payment = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"order": order_id, "error": "payment status unavailable"}, status=502)

    return JsonResponse(
        {
            "order": order_id,
            "payment": payment["status"],
            "amount": payment["amount"],
            "currency": payment["currency"],
        }
    )
