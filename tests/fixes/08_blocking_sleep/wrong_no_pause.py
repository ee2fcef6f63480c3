"""Wrong: deletes the pause. Nothing blocks the loop any more, but the provider is asked
before the payment has settled, and customers see "pending" again."""

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
