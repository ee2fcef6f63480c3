"""Wrong: an `async def` view in name only: it hands the request to a plain sync view and
awaits it through sync_to_async, so every line of the work (lookup, queuing, the response)
runs in a worker thread, as a sync view would."""

from asgiref.sync import sync_to_async
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from .models import Order
from .tasks import send_receipt


def _send_order_receipt(request, order_id):
    order = get_object_or_404(Order, pk=order_id)
    result = send_receipt.enqueue(order.pk)
    return JsonResponse({"order": order.pk, "task": result.id, "status": result.status}, status=202)


@require_POST
async def send_order_receipt(request, order_id):
    return await sync_to_async(_send_order_receipt)(request, order_id)
