"""Right, written otherwise: send() in a thread of the default pool (thread_sensitive=False),
where async_to_sync may wait for the async receivers; errors logged with exc_info."""

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
        await sync_to_async(order_placed.send, thread_sensitive=False)(sender=None, order=order)
    except Exception as error:
        logger.error("order %s not placed", order["id"], exc_info=error)
        return JsonResponse({"error": "the order could not be placed, try again"}, status=503)

    return JsonResponse({"order": order["id"], "status": "placed"}, status=201)
