"""Wrong: queues the task with aenqueue(), but answers "SUCCESSFUL" whatever became of it:
when the mail service is down the customer is told the receipt is on its way, and it never
comes."""

from django.http import JsonResponse
from django.shortcuts import aget_object_or_404
from django.views.decorators.http import require_POST

from .models import Order
from .tasks import send_receipt


@require_POST
async def send_order_receipt(request, order_id):
    order = await aget_object_or_404(Order, pk=order_id)
    result = await send_receipt.aenqueue(order.pk)
    return JsonResponse({"order": order.pk, "task": result.id, "status": "SUCCESSFUL"}, status=202)
