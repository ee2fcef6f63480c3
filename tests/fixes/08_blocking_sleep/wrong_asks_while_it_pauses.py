"""Wrong: runs the pause and the call to the provider side by side with gather, so the page
is no slower than before the pause; but the provider is asked right away, too soon, and
says "pending"."""

import asyncio

import httpx
from django.http import JsonResponse

PAYMENTS_SERVICE = "http://payments.example/orders/{order_id}/payment"
SETTLE_DELAY = 0.3


async def ask_provider(order_id):
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(PAYMENTS_SERVICE.format(order_id=order_id))
    response.raise_for_status()
    return response.json()


async def order_confirmation(request, order_id):
    try:
        _, payment = await asyncio.gather(asyncio.sleep(SETTLE_DELAY), ask_provider(order_id))
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
