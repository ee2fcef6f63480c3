"""Right: the view makes the request itself with the async client and awaits it; no bridge
is needed on the event loop. The failures are still told apart: no such order, or no usable
answer from the service."""

import httpx
from django.http import JsonResponse

ORDERS_SERVICE = "http://orders.example/orders/{id}"


async def order_status(request, order_id):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(ORDERS_SERVICE.format(id=order_id))
        if response.status_code == 404:
            return JsonResponse({"order": order_id, "error": "no such order"}, status=404)
        response.raise_for_status()
        order = response.json()
    except httpx.TimeoutException:
        return JsonResponse({"order": order_id, "error": "orders service too slow"}, status=504)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"order": order_id, "error": "orders service unavailable"}, status=502)
    return JsonResponse({"order": order_id, "status": order["status"], "eta": order["eta"]})
