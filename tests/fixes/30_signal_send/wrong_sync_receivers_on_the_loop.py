"""Wrong: calls the receivers by hand, the async ones awaited together, the sync ones called
directly. Every receiver runs before the answer, but the sync ones run on the event loop's
thread: a sync receiver that queries the database or calls a service blocks every request."""

import asyncio
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
        sync_receivers, async_receivers = order_placed._live_receivers(None)
        for receiver in sync_receivers:
            receiver(signal=order_placed, sender=None, order=order)
        await asyncio.gather(
            *(
                receiver(signal=order_placed, sender=None, order=order)
                for receiver in async_receivers
            )
        )
    except Exception:
        # A receiver failed (the warehouse is down, say): the order is not placed.
        logger.exception("order %s: a receiver of order_placed failed", order["id"])
        return JsonResponse({"error": "the order could not be placed, try again"}, status=503)

    return JsonResponse({"order": order["id"], "status": "placed"}, status=201)
