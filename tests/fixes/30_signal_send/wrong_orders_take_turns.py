"""Wrong: awaits asend() under a module-level lock "so two orders never book the same stock
at once": every order waits for the one before it to hear back from the warehouse."""

import asyncio
import json
import logging

from django.http import JsonResponse

from .signals import order_placed

_booking = asyncio.Lock()
logger = logging.getLogger("shop.orders")


async def place_order(request):
    order = json.loads(request.body)
    if not order.get("lines"):
        return JsonResponse({"error": "an order needs at least one line"}, status=400)

    try:
        # send() calls async receivers through async_to_sync, which cannot run on the event
        # loop's thread. asend() awaits them all (and runs the sync ones in a thread).
        async with _booking:
            await order_placed.asend(sender=None, order=order)
    except Exception:
        # A receiver failed (the warehouse is down, say): the order is not placed.
        logger.exception("order %s: a receiver of order_placed failed", order["id"])
        return JsonResponse({"error": "the order could not be placed, try again"}, status=503)

    return JsonResponse({"order": order["id"], "status": "placed"}, status=201)
