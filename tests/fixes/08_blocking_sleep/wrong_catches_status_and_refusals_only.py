"""Wrong: awaits the pause, but turns only an error status or a refused connection into a
502: a timeout, a dropped connection or a garbled body still turns the page into a 500."""

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
    except (httpx.HTTPStatusError, httpx.ConnectError):
        return JsonResponse({"order": order_id, "error": "payment status unavailable"}, status=502)
    payment = response.json()

    return JsonResponse(
        {
            "order": order_id,
            "payment": payment["status"],
            "amount": payment["amount"],
            "currency": payment["currency"],
        }
    )
