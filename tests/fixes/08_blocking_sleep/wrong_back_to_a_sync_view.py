"""Wrong: makes the view a plain `def` again, so that time.sleep blocks only the thread Django
gives each sync view: the pages overlap, but every customer now holds a thread for the
whole pause, which is what the async view was meant to save."""

import time

import httpx
from django.http import JsonResponse

PAYMENTS_SERVICE = "http://payments.example/orders/{order_id}/payment"
SETTLE_DELAY = 0.3


def order_confirmation(request, order_id):
    time.sleep(SETTLE_DELAY)

    try:
        response = httpx.get(PAYMENTS_SERVICE.format(order_id=order_id), timeout=5)
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
