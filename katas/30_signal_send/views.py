import json

from django.http import JsonResponse

from .signals import order_placed


async def place_order(request):
    order = json.loads(request.body)
    if not order.get("lines"):
        return JsonResponse({"error": "an order needs at least one line"}, status=400)

    # TODO: this worked while every receiver was sync. Then the warehouse team connected an
    # async one. How does this line call the receivers, from an async view?
    order_placed.send(sender=None, order=order)

    return JsonResponse({"order": order["id"], "status": "placed"}, status=201)
