"""Wrong: drops the async helper and asks the orders service with the sync httpx.get, handed
to a worker thread so the loop stays free: no bridge any more, but each customer again holds
a thread that only waits for the orders service."""

import asyncio

import httpx
from django.http import JsonResponse

ORDERS_SERVICE = "http://orders.example/orders/{id}"


async def order_status(request, order_id):
    try:
        response = await asyncio.to_thread(httpx.get, ORDERS_SERVICE.format(id=order_id), timeout=5)
        if response.status_code == 404:
            return JsonResponse({"order": order_id, "error": "no such order"}, status=404)
        response.raise_for_status()
        order = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"order": order_id, "error": "orders service unavailable"}, status=502)
    return JsonResponse({"order": order_id, "status": order["status"], "eta": order["eta"]})
