"""Wrong: looks the order up with sync_to_async(thread_sensitive=False): each lookup opens a
database connection in a pool thread that nothing ever closes."""

from asgiref.sync import sync_to_async
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from .models import Order
from .tasks import send_receipt


@require_POST
async def send_order_receipt(request, order_id):
    order = await sync_to_async(get_object_or_404, thread_sensitive=False)(Order, pk=order_id)
    # Emailing takes a while: queue it for the worker and answer at once.
    # aenqueue() queues the task from a worker thread: a backend may run the task right there
    # (ImmediateBackend) or write it to its queue with the ORM; neither may run on the loop.
    # The task gets the order's ID, not the order: it runs later and reads the row fresh.
    result = await send_receipt.aenqueue(order.pk)
    return JsonResponse({"order": order.pk, "task": result.id, "status": result.status}, status=202)
