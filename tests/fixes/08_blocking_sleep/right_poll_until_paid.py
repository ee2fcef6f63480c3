"""Right: asks the provider straight away and, while it says "pending", asks again after an
awaited pause; only this request waits, and it stops as soon as the payment has settled."""

import asyncio

import httpx
from django.http import JsonResponse

PAYMENTS_SERVICE = "http://payments.example/orders/{order_id}/payment"
POLL_EVERY = 0.1
MAX_POLLS = 20


async def order_confirmation(request, order_id):
    async with httpx.AsyncClient(timeout=5) as client:
        for _ in range(MAX_POLLS):
            response = await client.get(PAYMENTS_SERVICE.format(order_id=order_id))
            response.raise_for_status()
            payment = response.json()
            if payment["status"] != "pending":
                break
            await asyncio.sleep(POLL_EVERY)

    return JsonResponse(
        {
            "order": order_id,
            "payment": payment["status"],
            "amount": payment["amount"],
            "currency": payment["currency"],
        }
    )
