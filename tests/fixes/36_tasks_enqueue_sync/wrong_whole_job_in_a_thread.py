"""Wrong: the view only forwards the order id to one sync function that looks the order up,
queues the task and builds the answer, all in a worker thread: the view is async in name
only."""

from asgiref.sync import sync_to_async
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from .models import Order
from .tasks import send_receipt


def queue_receipt(order_id):
    order = get_object_or_404(Order, pk=order_id)
    result = send_receipt.enqueue(order.pk)
    return JsonResponse({"order": order.pk, "task": result.id, "status": result.status}, status=202)


@require_POST
async def send_order_receipt(request, order_id):
    return await sync_to_async(queue_receipt)(order_id)
