"""Wrong: queues the task with sync_to_async(thread_sensitive=False): receipts go out
together, but the task's queries open a database connection in a thread that no request
owns, and Django never closes it."""

from asgiref.sync import sync_to_async
from django.http import JsonResponse
from django.shortcuts import aget_object_or_404
from django.views.decorators.http import require_POST

from .models import Order
from .tasks import send_receipt


@require_POST
async def send_order_receipt(request, order_id):
    order = await aget_object_or_404(Order, pk=order_id)
    result = await sync_to_async(send_receipt.enqueue, thread_sensitive=False)(order.pk)
    return JsonResponse({"order": order.pk, "task": result.id, "status": result.status}, status=202)
