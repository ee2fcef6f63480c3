"""Wrong: swaps one bridge for another; asyncio.run() also refuses to run inside the running
event loop ("cannot be called from a running event loop")."""

import asyncio

import httpx
from django.http import JsonResponse

ORDERS_SERVICE = "http://orders.example/orders/{id}"


async def fetch_order(order_id):
    async with httpx.AsyncClient() as client:
        response = await client.get(ORDERS_SERVICE.format(id=order_id))
    response.raise_for_status()
    return response.json()


async def order_status(request, order_id):
    order = asyncio.run(fetch_order(order_id))
    return JsonResponse({"order": order_id, "status": order["status"], "eta": order["eta"]})
