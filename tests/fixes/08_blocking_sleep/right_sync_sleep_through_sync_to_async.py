"""Right: the same blocking pause, run by sync_to_async in the request's own worker thread
(a real server gives each request its own), so the loop and the other customers go on."""

import time

import httpx
from asgiref.sync import sync_to_async
from django.http import JsonResponse

PAYMENTS_SERVICE = "http://payments.example/orders/{order_id}/payment"
# The payment provider settles a card payment a moment after checkout: asked sooner, it
# still says "pending". So the confirmation page gives it this long first.
SETTLE_DELAY = 0.3


async def order_confirmation(request, order_id):
    # The pause runs in this request's own worker thread: the loop stays free meanwhile.
    await sync_to_async(time.sleep)(SETTLE_DELAY)

    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(PAYMENTS_SERVICE.format(order_id=order_id))
        response.raise_for_status()
        payment = response.json()
    except (httpx.HTTPError, ValueError):
        # 502 Bad Gateway: the page says "we could not check your payment yet, reload in a
        # minute"; it never guesses how the payment went.
        return JsonResponse({"order": order_id, "error": "payment status unavailable"}, status=502)

    return JsonResponse(
        {
            "order": order_id,
            "payment": payment["status"],
            "amount": payment["amount"],
            "currency": payment["currency"],
        }
    )
