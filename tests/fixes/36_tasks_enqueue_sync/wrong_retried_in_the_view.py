"""Wrong: queues with aenqueue(), and when the task comes back FAILED queues it again at once
"to be sure": a failing mail service is asked twice per click, and the answer hides the
first failure."""

from django.http import JsonResponse
from django.shortcuts import aget_object_or_404
from django.views.decorators.http import require_POST

from .models import Order
from .tasks import send_receipt


@require_POST
async def send_order_receipt(request, order_id):
    order = await aget_object_or_404(Order, pk=order_id)
    result = await send_receipt.aenqueue(order.pk)
    if result.status == "FAILED":
        result = await send_receipt.aenqueue(order.pk)
    return JsonResponse({"order": order.pk, "task": result.id, "status": result.status}, status=202)
