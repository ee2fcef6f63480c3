"""Wrong: queues the task with aenqueue(), and drops the order lookup as "the task reads the
order anyway": a receipt for an order that does not exist is accepted (202), and queued
for a worker to fail on."""

from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .tasks import send_receipt


@require_POST
async def send_order_receipt(request, order_id):
    result = await send_receipt.aenqueue(order_id)
    return JsonResponse({"order": order_id, "task": result.id, "status": result.status}, status=202)
