"""Right: looks the order up with afirst() and answers a JSON 404 itself when there is none;
queues the task with aenqueue() and the order's ID."""

from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .models import Order
from .tasks import send_receipt


@require_POST
async def send_order_receipt(request, order_id):
    order = await Order.objects.filter(pk=order_id).afirst()
    if order is None:
        return JsonResponse({"error": f"No order {order_id}."}, status=404)
    result = await send_receipt.aenqueue(order.pk)
    return JsonResponse({"order": order.pk, "task": result.id, "status": result.status}, status=202)
