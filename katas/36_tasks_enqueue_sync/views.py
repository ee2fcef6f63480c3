from django.http import JsonResponse
from django.shortcuts import aget_object_or_404
from django.views.decorators.http import require_POST

from .models import Order
from .tasks import send_receipt


@require_POST
async def send_order_receipt(request, order_id):
    order = await aget_object_or_404(Order, pk=order_id)
    # Emailing takes a while: queue it for the worker and answer at once.
    # TODO: where, and on which thread, does this task get queued (or run)?
    result = send_receipt.enqueue(order.pk)
    return JsonResponse({"order": order.pk, "task": result.id, "status": result.status}, status=202)
