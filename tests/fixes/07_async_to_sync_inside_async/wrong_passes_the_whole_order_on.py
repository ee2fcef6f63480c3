"""Wrong: awaits the order, and passes on everything the orders service knows about it
(its inner id, the number of items...) instead of the status the page shows."""

import httpx
from django.http import JsonResponse

ORDERS_SERVICE = "http://orders.example/orders/{id}"


class OrdersServiceError(Exception):
    """The orders service failed, or answered something that is not an order."""


async def fetch_order(order_id):
    """The order, as the orders service knows it; None if it knows no such order."""
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(ORDERS_SERVICE.format(id=order_id))
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise OrdersServiceError(order_id) from error


async def order_status(request, order_id):
    try:
        # async_to_sync (like asyncio.run) is a bridge from sync code into async code; an
        # async view is already on the event loop, so it simply awaits the async function.
        order = await fetch_order(order_id)
    except OrdersServiceError:
        # 502 Bad Gateway: the page says "we cannot see your order right now, try again".
        return JsonResponse({"order": order_id, "error": "orders service unavailable"}, status=502)
    if order is None:
        return JsonResponse({"order": order_id, "error": "no such order"}, status=404)
    return JsonResponse({"order": order_id, **order})
