"""Right: notes when the customer arrived, sets up the client meanwhile, and then awaits
what is left of the pause on the loop's clock: the provider gets its full moment, and no
other customer waits for it."""

import asyncio

import httpx
from django.http import JsonResponse

PAYMENTS_SERVICE = "http://payments.example/orders/{order_id}/payment"
SETTLE_DELAY = 0.3


async def order_confirmation(request, order_id):
    loop = asyncio.get_running_loop()
    ask_at = loop.time() + SETTLE_DELAY
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            await asyncio.sleep(max(0.0, ask_at - loop.time()))
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
