"""Wrong: silences Django's guard with DJANGO_ALLOW_ASYNC_UNSAFE. The task now succeeds, but
its queries and its blocking mail call run on the event loop, holding every other request."""

import os

from django.http import JsonResponse
from django.shortcuts import aget_object_or_404
from django.views.decorators.http import require_POST

from .models import Order
from .tasks import send_receipt

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@require_POST
async def send_order_receipt(request, order_id):
    order = await aget_object_or_404(Order, pk=order_id)
    result = send_receipt.enqueue(order.pk)
    return JsonResponse({"order": order.pk, "task": result.id, "status": result.status}, status=202)
