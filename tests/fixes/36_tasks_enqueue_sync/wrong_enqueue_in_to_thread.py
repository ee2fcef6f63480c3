"""Wrong: queues the task with asyncio.to_thread: the loop stays free and the task succeeds,
but the task's queries open a database connection in a thread of the loop's executor, which
Django never closes (a second bug, outside the lesson: the house rules catch it)."""

import asyncio

from django.http import JsonResponse
from django.shortcuts import aget_object_or_404
from django.views.decorators.http import require_POST

from .models import Order
from .tasks import send_receipt


@require_POST
async def send_order_receipt(request, order_id):
    order = await aget_object_or_404(Order, pk=order_id)
    result = await asyncio.to_thread(send_receipt.enqueue, order.pk)
    return JsonResponse({"order": order.pk, "task": result.id, "status": result.status}, status=202)
