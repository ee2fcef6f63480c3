"""Wrong: queues the task from a thread of the view's own executor, which has a single
thread: the loop stays free, but every request in the process waits for the one thread,
so receipts that could go out together go out one after another."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from django.http import JsonResponse
from django.shortcuts import aget_object_or_404
from django.views.decorators.http import require_POST

from .models import Order
from .tasks import send_receipt

_queueing = ThreadPoolExecutor(max_workers=1)


@require_POST
async def send_order_receipt(request, order_id):
    order = await aget_object_or_404(Order, pk=order_id)
    loop = asyncio.get_running_loop()
    result = await loop.run_in_executor(_queueing, send_receipt.enqueue, order.pk)
    return JsonResponse({"order": order.pk, "task": result.id, "status": result.status}, status=202)
