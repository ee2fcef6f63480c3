"""Wrong: drops the pause and, since the provider then says "pending", reports every payment
as "paid" anyway. Fast, and a lie whenever a card is declined."""

import httpx
from django.http import JsonResponse

PAYMENTS_SERVICE = "http://payments.example/orders/{order_id}/payment"


async def order_confirmation(request, order_id):
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
            "payment": "paid",
            "amount": payment["amount"],
            "currency": payment["currency"],
        }
    )
