"""Wrong: hands the coroutine to the view's own loop from a worker thread
(run_coroutine_threadsafe) and has that thread wait for the result: the error is gone, but
each customer again holds a thread that does nothing but wait for the orders service."""

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
    loop = asyncio.get_running_loop()

    def wait_for_order():
        return asyncio.run_coroutine_threadsafe(fetch_order(order_id), loop).result()

    try:
        order = await asyncio.to_thread(wait_for_order)
    except OrdersServiceError:
        return JsonResponse({"order": order_id, "error": "orders service unavailable"}, status=502)
    if order is None:
        return JsonResponse({"order": order_id, "error": "no such order"}, status=404)
    return JsonResponse({"order": order_id, "status": order["status"], "eta": order["eta"]})
