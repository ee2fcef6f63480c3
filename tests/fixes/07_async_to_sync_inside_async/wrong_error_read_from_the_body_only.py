"""Wrong: awaits the order, but tells a failure from its body ("error" in it) instead of its
status: a 5xx whose JSON says something else is shown to the customer as an order."""

import httpx
from django.http import JsonResponse

ORDERS_SERVICE = "http://orders.example/orders/{id}"


async def order_status(request, order_id):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(ORDERS_SERVICE.format(id=order_id))
        order = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"order": order_id, "error": "orders service unavailable"}, status=502)
    if response.status_code == 404:
        return JsonResponse({"order": order_id, "error": "no such order"}, status=404)
    if "error" in order:
        return JsonResponse({"order": order_id, "error": "orders service unavailable"}, status=502)
    return JsonResponse({"order": order_id, "status": order.get("status"), "eta": order.get("eta")})
