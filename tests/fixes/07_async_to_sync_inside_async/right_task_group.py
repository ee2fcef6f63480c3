"""Right: awaits the order inside a TaskGroup, on the view's own loop: still one call,
no thread and no second loop."""

import asyncio

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
        async with asyncio.TaskGroup() as group:
            fetching = group.create_task(fetch_order(order_id))
    except ExceptionGroup as errors:
        if errors.subgroup(OrdersServiceError) is None:
            raise
        return JsonResponse({"order": order_id, "error": "orders service unavailable"}, status=502)
    order = fetching.result()
    if order is None:
        return JsonResponse({"order": order_id, "error": "no such order"}, status=404)
    return JsonResponse({"order": order_id, "status": order["status"], "eta": order["eta"]})
