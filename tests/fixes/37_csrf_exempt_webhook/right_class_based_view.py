"""Right: an async class-based view, exempt through
method_decorator(csrf_exempt, name="dispatch")."""

import hashlib
import hmac
import json
import logging

import httpx
from django.conf import settings
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger("shop.payments")

SHIPMENTS_URL = "http://warehouse.example/shipments"


@method_decorator(csrf_exempt, name="dispatch")
class PaymentEvents(View):
    """Paywise's deliveries: POST only, each signed."""

    async def post(self, request):
        secret = settings.PAYMENTS_WEBHOOK_SECRET.encode()
        expected = "sha256=" + hmac.new(secret, request.body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(request.headers.get("X-Signature", ""), expected):
            return JsonResponse({"error": "bad signature"}, status=403)
        event = json.loads(request.body)
        try:
            async with httpx.AsyncClient(timeout=5) as client:
                reply = await client.post(
                    SHIPMENTS_URL, json={"order": event["order"], "payment": event["id"]}
                )
                reply.raise_for_status()
                shipment = reply.json()["shipment"]
        except (httpx.HTTPError, ValueError, KeyError) as error:
            logger.warning("order %s not shipped yet: %r", event["order"], error)
            return JsonResponse({"error": "the warehouse is unavailable"}, status=503)
        return JsonResponse({"received": event["id"], "shipment": shipment})


payment_events = PaymentEvents.as_view()
