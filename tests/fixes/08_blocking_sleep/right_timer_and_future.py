"""Right: sets a timer on the loop that resolves a future after the pause, and awaits the
future: what asyncio.sleep does, written out."""

import asyncio

import httpx
from django.http import JsonResponse

PAYMENTS_SERVICE = "http://payments.example/orders/{order_id}/payment"
# The payment provider settles a card payment a moment after checkout: asked sooner, it
# still says "pending". So the confirmation page gives it this long first.
SETTLE_DELAY = 0.3


async def order_confirmation(request, order_id):
    loop = asyncio.get_running_loop()
    settled = loop.create_future()
    loop.call_later(SETTLE_DELAY, settled.set_result, None)
    await settled

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
