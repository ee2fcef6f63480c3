"""Right: calls the sync enqueue() through sync_to_async, which is what aenqueue() does: the
task is queued (here: run) from a worker thread, never on the event loop."""

from asgiref.sync import sync_to_async
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_POST

from .models import Order
from .tasks import send_receipt


@require_POST
async def send_order_receipt(request, order_id):
    if not await Order.objects.filter(pk=order_id).aexists():
        raise Http404("No such order")
    result = await sync_to_async(send_receipt.enqueue)(order_id=order_id)
    return JsonResponse({"order": order_id, "task": result.id, "status": result.status}, status=202)
