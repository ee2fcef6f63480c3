"""Right: looks the order up with the async ORM (aget, a 404 when it is missing) and queues
the task with aenqueue(), passing the ID by keyword."""

from django.http import Http404, JsonResponse
from django.views.decorators.http import require_POST

from .models import Order
from .tasks import send_receipt


@require_POST
async def send_order_receipt(request, order_id):
    try:
        order = await Order.objects.aget(pk=order_id)
    except Order.DoesNotExist:
        raise Http404(f"No order {order_id}") from None
    result = await send_receipt.aenqueue(order_id=order.pk)
    return JsonResponse({"order": order.pk, "task": result.id, "status": result.status}, status=202)
