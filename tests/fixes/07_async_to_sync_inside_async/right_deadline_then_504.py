"""Right: awaits the helper under a deadline of its own (asyncio.timeout);
a service too slow for it is a 504, any other failure a 502. No bridge, no thread."""

import asyncio

import httpx
from django.http import JsonResponse

ORDERS_SERVICE = "http://orders.example/orders/{id}"
DEADLINE = 3


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
        async with asyncio.timeout(DEADLINE):
            order = await fetch_order(order_id)
    except TimeoutError:
        return JsonResponse({"order": order_id, "error": "orders service too slow"}, status=504)
    except OrdersServiceError as error:
        status = 504 if isinstance(error.__cause__, httpx.TimeoutException) else 502
        return JsonResponse(
            {"order": order_id, "error": "orders service unavailable"}, status=status
        )
    if order is None:
        return JsonResponse({"order": order_id, "error": "no such order"}, status=404)
    return JsonResponse({"order": order_id, "status": order["status"], "eta": order["eta"]})
