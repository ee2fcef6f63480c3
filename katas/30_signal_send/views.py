import json
import logging

from django.http import JsonResponse

from .signals import order_placed

logger = logging.getLogger("shop.orders")


async def place_order(request):
    order = json.loads(request.body)
    if not order.get("lines"):
        return JsonResponse({"error": "an order needs at least one line"}, status=400)

    try:
        # TODO: this worked while every receiver was sync. Then the warehouse team connected
        # an async one. How does this line call the receivers, from an async view?
        order_placed.send(sender=None, order=order)
    except Exception:
        # A receiver failed (the warehouse is down, say): the order is not placed.
        logger.exception("order %s: a receiver of order_placed failed", order["id"])
        return JsonResponse({"error": "the order could not be placed, try again"}, status=503)

    return JsonResponse({"order": order["id"], "status": "placed"}, status=201)
