"""Wrong: awaits asend_robust() and fails the order on a network error only: when the
warehouse answers that it could not reserve the stock, or another team's receiver fails,
the customer is told "placed"."""

import json
import logging

import httpx
from django.http import JsonResponse

from .signals import order_placed

logger = logging.getLogger("shop.orders")


async def place_order(request):
    order = json.loads(request.body)
    if not order.get("lines"):
        return JsonResponse({"error": "an order needs at least one line"}, status=400)

    for receiver, result in await order_placed.asend_robust(sender=None, order=order):
        # The warehouse is the one receiver that can fail: its network errors fail the order.
        if isinstance(result, (httpx.HTTPError, ValueError)):
            logger.error("order %s: %s failed: %r", order["id"], receiver.__name__, result)
            return JsonResponse({"error": "the order could not be placed"}, status=503)

    return JsonResponse({"order": order["id"], "status": "placed"}, status=201)
