"""Right: the module keeps a sync twin of the helper for the shop's sync code (a management
command, say), built with async_to_sync once; the async view awaits the async helper itself.
async_to_sync is fine where it belongs: called from sync code."""

import httpx
from asgiref.sync import async_to_sync
from django.http import JsonResponse

ORDERS_SERVICE = "http://orders.example/orders/{id}"


class OrdersServiceError(Exception):
    """The orders service failed, or answered something that is not an order."""


async def afetch_order(order_id):
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


# For sync callers only (no event loop running in their thread).
fetch_order = async_to_sync(afetch_order)


async def order_status(request, order_id):
    try:
        order = await afetch_order(order_id)
    except OrdersServiceError:
        return JsonResponse({"order": order_id, "error": "orders service unavailable"}, status=503)
    if order is None:
        return JsonResponse({"order": order_id, "error": "no such order"}, status=404)
    return JsonResponse({"order": order_id, "status": order["status"], "eta": order["eta"]})
