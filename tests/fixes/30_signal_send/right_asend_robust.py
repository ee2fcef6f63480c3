"""Right: asend_robust() awaits every receiver too; it returns a receiver's error instead of
raising it, and the view logs it and fails the order."""

import json
import logging

from django.http import JsonResponse

from .signals import order_placed

logger = logging.getLogger("shop.orders")


async def place_order(request):
    order = json.loads(request.body)
    if not order.get("lines"):
        return JsonResponse({"error": "an order needs at least one line"}, status=400)

    for receiver, result in await order_placed.asend_robust(sender=None, order=order):
        if isinstance(result, Exception):
            logger.error("%s failed for order %s: %r", receiver.__name__, order["id"], result)
            return JsonResponse({"error": "the order could not be placed"}, status=503)

    return JsonResponse({"order": order["id"], "status": "placed"}, status=201)
