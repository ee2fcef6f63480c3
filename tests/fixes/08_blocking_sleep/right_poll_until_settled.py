"""Right: asks the provider straight away and, while it says "pending", asks again after an
awaited pause; only this request waits, and it stops as soon as the payment has settled,
whichever way it settled."""

import asyncio

import httpx
from django.http import JsonResponse

PAYMENTS_SERVICE = "http://payments.example/orders/{order_id}/payment"
POLL_EVERY = 0.1
MAX_POLLS = 20


class PaymentUnknown(Exception):
    """The provider failed, or never stopped saying "pending"."""


async def settled_payment(order_id):
    async with httpx.AsyncClient(timeout=5) as client:
        for _ in range(MAX_POLLS):
            try:
                response = await client.get(PAYMENTS_SERVICE.format(order_id=order_id))
                response.raise_for_status()
                payment = response.json()
            except (httpx.HTTPError, ValueError) as error:
                raise PaymentUnknown(order_id) from error
            if payment["status"] != "pending":
                return payment
            await asyncio.sleep(POLL_EVERY)
    raise PaymentUnknown(order_id)


async def order_confirmation(request, order_id):
    try:
        payment = await settled_payment(order_id)
    except PaymentUnknown:
        return JsonResponse({"order": order_id, "error": "payment status unknown"}, status=503)

    return JsonResponse(
        {
            "order": order_id,
            "payment": payment["status"],
            "amount": payment["amount"],
            "currency": payment["currency"],
        }
    )
