"""Right: awaits the orders service in the view with one client, sorts the answer by its
status first (404 unknown, any other error a 503), then reads the body."""

import httpx
from django.http import JsonResponse

ORDERS_SERVICE = "http://orders.example/orders/{id}"


async def order_status(request, order_id):
    unavailable = JsonResponse({"order": order_id, "error": "try again soon"}, status=503)
    async with httpx.AsyncClient(timeout=httpx.Timeout(5.0)) as client:
        try:
            response = await client.get(ORDERS_SERVICE.format(id=order_id))
        except httpx.RequestError:
            return unavailable
    if response.status_code == httpx.codes.NOT_FOUND:
        return JsonResponse({"order": order_id, "error": "no such order"}, status=404)
    if not response.is_success:
        return unavailable
    try:
        order = response.json()
    except ValueError:
        return unavailable
    return JsonResponse({"order": order_id, "status": order["status"], "eta": order["eta"]})
