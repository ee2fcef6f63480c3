"""Wrong: turns the view into a plain `def` view. Django runs it in a worker thread, where
enqueue() and the ORM are allowed, so the receipt goes out; but the kata's view must stay
async (the rest of the shop's views await their services), and the bug is only dodged."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from .models import Order
from .tasks import send_receipt


@require_POST
def send_order_receipt(request, order_id):
    order = get_object_or_404(Order, pk=order_id)
    result = send_receipt.enqueue(order.pk)
    return JsonResponse({"order": order.pk, "task": result.id, "status": result.status}, status=202)
