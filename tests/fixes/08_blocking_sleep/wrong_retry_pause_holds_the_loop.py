"""Wrong: pauses with asyncio.sleep, but waits before its retry with time.sleep, holding the loop on bad days."""

import asyncio
import time

import httpx
from django.http import JsonResponse

PAYMENTS_SERVICE = "http://payments.example/orders/{order_id}/payment"
SETTLE_DELAY = 0.3
RETRY_DELAY = 0.15


async def _payment(order_id):
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(PAYMENTS_SERVICE.format(order_id=order_id))
    response.raise_for_status()
    return response.json()


async def order_confirmation(request, order_id):
    await asyncio.sleep(SETTLE_DELAY)
    for attempt in range(2):
        try:
            payment = await _payment(order_id)
            break
        except (httpx.HTTPError, ValueError):
            if attempt == 1:
                return JsonResponse(
                    {"order": order_id, "error": "payment status unavailable"}, status=502
                )
            time.sleep(RETRY_DELAY)
    return JsonResponse(
        {
            "order": order_id,
            "payment": payment["status"],
            "amount": payment["amount"],
            "currency": payment["currency"],
        }
    )
