import httpx
from django.http import JsonResponse

ORDERS_URL = "http://orders.example/orders/{}"


async def order_detail(request, order_id):
    # The request id travels on to the orders service, so both logs carry the same id.
    async with httpx.AsyncClient(timeout=5) as client:
        reply = await client.get(
            ORDERS_URL.format(order_id), headers={"X-Request-ID": request.request_id}
        )
    reply.raise_for_status()
    return JsonResponse(reply.json())
