"""Wrong: writes the view as a plain `def` and wraps it whole in sync_to_async under
require_POST, so it looks like a coroutine function to Django: but every line of it runs in
a worker thread, a sync view in disguise, and the bug is only dodged."""

from asgiref.sync import sync_to_async
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from .models import Order
from .tasks import send_receipt


@require_POST
@sync_to_async
def send_order_receipt(request, order_id):
    order = get_object_or_404(Order, pk=order_id)
    result = send_receipt.enqueue(order.pk)
    return JsonResponse({"order": order.pk, "task": result.id, "status": result.status}, status=202)
