"""Wrong: pauses with asyncio.sleep, but in a shielded task: a customer who closes the page
during the pause does not stop it, and the provider is still asked, for nobody."""

import asyncio

import httpx
from django.http import JsonResponse

PAYMENTS_SERVICE = "http://payments.example/orders/{order_id}/payment"
# The payment provider settles a card payment a moment after checkout: asked sooner, it
# still says "pending". So the confirmation page gives it this long first.
SETTLE_DELAY = 0.3


async def check_payment(order_id):
    await asyncio.sleep(SETTLE_DELAY)
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


async def order_confirmation(request, order_id):
    # Shielded, so that a reload does not lose a check half-way through.
    return await asyncio.shield(asyncio.ensure_future(check_payment(order_id)))
