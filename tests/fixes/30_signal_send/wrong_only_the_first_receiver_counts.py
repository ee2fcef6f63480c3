"""Wrong: send_robust() in a worker thread, but the order is refused only when the first
receiver's answer is an error: a failure in any later receiver (the warehouse's among them)
is ignored and the customer is told "placed"."""

import json
import logging

from asgiref.sync import sync_to_async
from django.http import JsonResponse

from .signals import order_placed

logger = logging.getLogger("shop.orders")


async def place_order(request):
    order = json.loads(request.body)
    if not order.get("lines"):
        return JsonResponse({"error": "an order needs at least one line"}, status=400)

    try:
        # send() calls async receivers through async_to_sync, which cannot run on the event
        # loop's thread. asend() awaits them all (and runs the sync ones in a thread).
        results = await sync_to_async(order_placed.send_robust)(sender=None, order=order)
        if results and isinstance(results[0][1], Exception):
            raise results[0][1]
    except Exception:
        # A receiver failed (the warehouse is down, say): the order is not placed.
        logger.exception("order %s: a receiver of order_placed failed", order["id"])
        return JsonResponse({"error": "the order could not be placed, try again"}, status=503)

    return JsonResponse({"order": order["id"], "status": "placed"}, status=201)
