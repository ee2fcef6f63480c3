"""Wrong: remembers the orders it has looked up, to skip the query next time: an order
deleted since its first receipt still gets a task queued, and a 202."""

from django.http import JsonResponse
from django.shortcuts import aget_object_or_404
from django.views.decorators.http import require_POST

from .models import Order
from .tasks import send_receipt

KNOWN_ORDERS = set()


@require_POST
async def send_order_receipt(request, order_id):
    if order_id not in KNOWN_ORDERS:
        await aget_object_or_404(Order, pk=order_id)
        KNOWN_ORDERS.add(order_id)
    order = Order(pk=order_id)
    # Emailing takes a while: queue it for the worker and answer at once.
    # aenqueue() queues the task from a worker thread: a backend may run the task right there
    # (ImmediateBackend) or write it to its queue with the ORM; neither may run on the loop.
    # The task gets the order's ID, not the order: it runs later and reads the row fresh.
    result = await send_receipt.aenqueue(order.pk)
    return JsonResponse({"order": order.pk, "task": result.id, "status": result.status}, status=202)
