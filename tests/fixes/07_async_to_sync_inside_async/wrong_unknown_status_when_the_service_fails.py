"""Wrong: awaits the order, and hides every failure of the orders service behind a 200 whose
status is "unknown": the customer is told nothing is wrong, and nobody learns the service
is down."""

import httpx
from django.http import JsonResponse

ORDERS_SERVICE = "http://orders.example/orders/{id}"


async def fetch_order(order_id):
    """The order, as the orders service knows it; None if it knows no such order."""
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(ORDERS_SERVICE.format(id=order_id))
    if response.status_code == 404:
        return None
    response.raise_for_status()
    return response.json()


async def order_status(request, order_id):
    try:
        order = await fetch_order(order_id)
    except Exception:
        order = {"status": "unknown", "eta": None}
    if order is None:
        return JsonResponse({"order": order_id, "error": "no such order"}, status=404)
    return JsonResponse({"order": order_id, "status": order["status"], "eta": order["eta"]})
