"""Right: runs send() in a worker thread with sync_to_async. There, async_to_sync may wait
for the async receivers, which run on the event loop; the sync ones run in that thread. It
holds a thread while the warehouse answers, where asend() would not, but every receiver
runs, off the loop, before the answer."""

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
        await sync_to_async(order_placed.send)(sender=None, order=order)
    except Exception:
        # A receiver failed (the warehouse is down, say): the order is not placed.
        logger.exception("order %s: a receiver of order_placed failed", order["id"])
        return JsonResponse({"error": "the order could not be placed, try again"}, status=503)

    return JsonResponse({"order": order["id"], "status": "placed"}, status=201)
