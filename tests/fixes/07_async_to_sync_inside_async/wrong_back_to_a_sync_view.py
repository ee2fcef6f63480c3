"""Wrong: makes the view sync again so that async_to_sync works; the page answers, but the
view is no longer async and each request needs a thread of its own."""

import httpx
from asgiref.sync import async_to_sync
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


def order_status(request, order_id):
    try:
        order = async_to_sync(fetch_order)(order_id)
    except OrdersServiceError:
        # 502 Bad Gateway: the page says "we cannot see your order right now, try again".
        return JsonResponse({"order": order_id, "error": "orders service unavailable"}, status=502)
    if order is None:
        return JsonResponse({"order": order_id, "error": "no such order"}, status=404)
    return JsonResponse({"order": order_id, "status": order["status"], "eta": order["eta"]})
