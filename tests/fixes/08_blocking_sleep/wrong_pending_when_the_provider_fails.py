"""Wrong: awaits the pause, but answers every failure of the payment provider with a 200 that
says "pending", without the amount: the customer is told to wait for a payment nobody is
checking."""

import asyncio

import httpx
from django.http import JsonResponse

PAYMENTS_SERVICE = "http://payments.example/orders/{order_id}/payment"
SETTLE_DELAY = 0.3


async def order_confirmation(request, order_id):
    await asyncio.sleep(SETTLE_DELAY)

    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(PAYMENTS_SERVICE.format(order_id=order_id))
        response.raise_for_status()
        payment = response.json()
    except Exception:
        payment = {"status": "pending", "amount": None, "currency": None}

    return JsonResponse(
        {
            "order": order_id,
            "payment": payment["status"],
            "amount": payment["amount"],
            "currency": payment["currency"],
        }
    )
