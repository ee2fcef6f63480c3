"""Right: the view makes the request itself with the async client and awaits it; no bridge
is needed on the event loop."""

import httpx
from django.http import JsonResponse

ORDERS_SERVICE = "http://orders.example/orders/{id}"


async def order_status(request, order_id):
    async with httpx.AsyncClient() as client:
        response = await client.get(ORDERS_SERVICE.format(id=order_id))
    response.raise_for_status()
    order = response.json()
    return JsonResponse({"order": order_id, "status": order["status"], "eta": order["eta"]})
