"""Wrong: skips the queue and runs the task's function in a thread during the request. The
receipt goes out, but nothing is queued: the request waits for the email, and no worker
(or retry) ever sees the task."""

from asgiref.sync import sync_to_async
from django.http import JsonResponse
from django.shortcuts import aget_object_or_404
from django.views.decorators.http import require_POST

from .models import Order
from .tasks import send_receipt


@require_POST
async def send_order_receipt(request, order_id):
    order = await aget_object_or_404(Order, pk=order_id)
    await sync_to_async(send_receipt.call)(order.pk)
    return JsonResponse({"order": order.pk, "task": None, "status": "SUCCESSFUL"}, status=202)
