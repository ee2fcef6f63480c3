import json

from django.http import JsonResponse

from .signals import order_placed


async def place_order(request):
    order = json.loads(request.body)
    if not order.get("lines"):
        return JsonResponse({"error": "an order needs at least one line"}, status=400)

    # send() calls async receivers through async_to_sync, which cannot run on the event
    # loop's thread. asend() awaits them all (and runs the sync ones in a thread).
    await order_placed.asend(sender=None, order=order)

    return JsonResponse({"order": order["id"], "status": "placed"}, status=201)
