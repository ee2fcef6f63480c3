import httpx
from django.http import JsonResponse

ORDERS_SERVICE = "http://orders.example/orders/{id}"


async def fetch_order(order_id):
    """The order, as the orders service knows it."""
    async with httpx.AsyncClient() as client:
        response = await client.get(ORDERS_SERVICE.format(id=order_id))
    response.raise_for_status()
    return response.json()


async def order_status(request, order_id):
    # async_to_sync (like asyncio.run) is a bridge from sync code into async code; an async
    # view is already on the event loop, so it simply awaits the async function.
    order = await fetch_order(order_id)
    return JsonResponse({"order": order_id, "status": order["status"], "eta": order["eta"]})
