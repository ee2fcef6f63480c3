"""Right: keeps time.sleep but runs it through sync_to_async. Under a real ASGI server each
request has its own ThreadSensitiveContext, so each customer's pause sleeps in that request's
own thread: the loop stays free and the pauses run side by side. (asyncio.sleep is simpler and
costs no thread.)"""

import time

import httpx
from asgiref.sync import sync_to_async
from django.http import JsonResponse

PAYMENTS_SERVICE = "http://payments.example/orders/{order_id}/payment"
SETTLE_DELAY = 0.3


async def order_confirmation(request, order_id):
    await sync_to_async(time.sleep)(SETTLE_DELAY)

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
