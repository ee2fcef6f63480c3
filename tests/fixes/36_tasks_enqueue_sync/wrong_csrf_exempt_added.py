"""Wrong: the queuing is right, but the view is also marked csrf_exempt "so the shop's
scripts can call it": any other site a customer visits can now make their browser POST
here, and have receipts sent for any order."""

from django.http import JsonResponse
from django.shortcuts import aget_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Order
from .tasks import send_receipt


@csrf_exempt
@require_POST
async def send_order_receipt(request, order_id):
    order = await aget_object_or_404(Order, pk=order_id)
    # Emailing takes a while: queue it for the worker and answer at once.
    # aenqueue() queues the task from a worker thread: a backend may run the task right there
    # (ImmediateBackend) or write it to its queue with the ORM; neither may run on the loop.
    # The task gets the order's ID, not the order: it runs later and reads the row fresh.
    result = await send_receipt.aenqueue(order.pk)
    return JsonResponse({"order": order.pk, "task": result.id, "status": result.status}, status=202)
