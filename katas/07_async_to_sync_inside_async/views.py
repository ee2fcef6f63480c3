import httpx
from asgiref.sync import async_to_sync
from django.http import JsonResponse

ORDERS_SERVICE = "http://orders.example/orders/{id}"


async def fetch_order(order_id):
    """The order, as the orders service knows it."""
    async with httpx.AsyncClient() as client:
        response = await client.get(ORDERS_SERVICE.format(id=order_id))
    response.raise_for_status()
    return response.json()


async def order_status(request, order_id):
    # TODO: this line was copied from the old, sync version of this view.
    # Does it still fit in an async one?
    order = async_to_sync(fetch_order)(order_id)
    return JsonResponse({"order": order_id, "status": order["status"], "eta": order["eta"]})
