import httpx
from django.http import JsonResponse

ORDERS_URL = "http://orders.example/orders/{}"


async def order_detail(request, order_id):
    # The request id travels on to the orders service, so both logs carry the same id.
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            reply = await client.get(
                ORDERS_URL.format(order_id), headers={"X-Request-ID": request.request_id}
            )
        reply.raise_for_status()
        order = reply.json()
    except (httpx.HTTPError, ValueError):
        # A failed call is a 502; support finds it in both logs by its request id.
        return JsonResponse({"order": order_id, "error": "order unavailable"}, status=502)
    return JsonResponse(order)
