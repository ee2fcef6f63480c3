"""Right: only POST is allowed (require_http_methods), a missing order is a JSON 404, and
the task is queued with aenqueue, by keyword, with the order's ID."""

from django.http import JsonResponse
from django.views.decorators.http import require_http_methods

from .models import Order
from .tasks import send_receipt


@require_http_methods(["POST"])
async def send_order_receipt(request, order_id):
    try:
        order = await Order.objects.only("pk").aget(pk=order_id)
    except Order.DoesNotExist:
        return JsonResponse({"error": f"no order {order_id}"}, status=404)
    result = await send_receipt.aenqueue(order_id=order.pk)
    return JsonResponse({"order": order.pk, "task": result.id, "status": result.status}, status=202)
