"""Wrong: awaits the order, but reads any failure of the orders service as "no such order":
a customer whose order exists is told it does not whenever the service is down."""

import httpx
from django.http import JsonResponse

ORDERS_SERVICE = "http://orders.example/orders/{id}"


async def fetch_order(order_id):
    """The order, as the orders service knows it; None if it gave none."""
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(ORDERS_SERVICE.format(id=order_id))
        response.raise_for_status()
        return response.json()
    except (httpx.HTTPError, ValueError):
        return None


async def order_status(request, order_id):
    order = await fetch_order(order_id)
    if order is None:
        return JsonResponse({"order": order_id, "error": "no such order"}, status=404)
    return JsonResponse({"order": order_id, "status": order["status"], "eta": order["eta"]})
