"""Wrong: pauses with asyncio.sleep, and "cleans up" the amount into a float: 12.50 becomes
12.5, and money in binary floating point is not what the provider sent."""

import asyncio

import httpx
from django.http import JsonResponse

PAYMENTS_SERVICE = "http://payments.example/orders/{order_id}/payment"
# The payment provider settles a card payment a moment after checkout: asked sooner, it
# still says "pending". So the confirmation page gives it this long first.
SETTLE_DELAY = 0.3


async def order_confirmation(request, order_id):
    # time.sleep would put the whole event loop to sleep: no other customer's request can
    # run until it wakes. asyncio.sleep pauses only this coroutine and hands the loop back,
    # so every customer waits for their own payment, at the same time.
    await asyncio.sleep(SETTLE_DELAY)

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
            "amount": float(payment["amount"]),
            "currency": payment["currency"],
        }
    )
