"""Wrong: makes the view sync again so that async_to_sync works; the page answers, but the
view is no longer async and each request needs a thread of its own."""

import httpx
from asgiref.sync import async_to_sync
from django.http import JsonResponse

ORDERS_SERVICE = "http://orders.example/orders/{id}"


async def fetch_order(order_id):
    async with httpx.AsyncClient() as client:
        response = await client.get(ORDERS_SERVICE.format(id=order_id))
    response.raise_for_status()
    return response.json()


def order_status(request, order_id):
    order = async_to_sync(fetch_order)(order_id)
    return JsonResponse({"order": order_id, "status": order["status"], "eta": order["eta"]})
