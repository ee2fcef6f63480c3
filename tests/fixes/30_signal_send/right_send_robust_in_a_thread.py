"""Right: send_robust in a worker thread (async receivers run there through async_to_sync),
then any receiver's error refuses the order and is logged with its traceback."""

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

    replies = await sync_to_async(order_placed.send_robust)(sender=None, order=order)
    errors = [reply for _, reply in replies if isinstance(reply, Exception)]
    if errors:
        for error in errors:
            logger.error("order %s not placed", order["id"], exc_info=error)
        return JsonResponse({"error": "the order could not be placed, try again"}, status=503)
    return JsonResponse({"order": order["id"], "status": "placed"}, status=201)
