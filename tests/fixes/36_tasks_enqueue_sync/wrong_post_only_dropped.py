"""Wrong: drops require_POST with the rest of the sync-looking code: a GET (a link preview,
a crawler following the URL) emails the customer a receipt."""

from django.http import JsonResponse
from django.shortcuts import aget_object_or_404

from .models import Order
from .tasks import send_receipt


async def send_order_receipt(request, order_id):
    order = await aget_object_or_404(Order, pk=order_id)
    # Emailing takes a while: queue it for the worker and answer at once.
    # aenqueue() queues the task from a worker thread: a backend may run the task right there
    # (ImmediateBackend) or write it to its queue with the ORM; neither may run on the loop.
    # The task gets the order's ID, not the order: it runs later and reads the row fresh.
    result = await send_receipt.aenqueue(order.pk)
    return JsonResponse({"order": order.pk, "task": result.id, "status": result.status}, status=202)
