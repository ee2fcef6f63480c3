"""Right, written otherwise: the warehouse call under asyncio.timeout, the shipment read only
from a 2xx answer that holds one; any failure, the timeout included, is a 503."""

import asyncio
import hashlib
import hmac
import json
import logging

import httpx
from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger("shop.payments")

SHIPMENTS_URL = "http://warehouse.example/shipments"


def signed_by_paywise(request):
    """Whether X-Signature is Paywise's: the HMAC-SHA256 of the body's bytes, exactly as
    they came, under the secret only Paywise and the shop know."""
    secret = settings.PAYMENTS_WEBHOOK_SECRET.encode()
    expected = "sha256=" + hmac.new(secret, request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(request.headers.get("X-Signature", ""), expected)


# Paywise's servers have no page of the site, so no CSRF token: the view is exempt from
# CSRF checks (csrf_exempt keeps an async view async), and the signature is what proves
# who sent the event, checked before anything is read or done.
@csrf_exempt
async def payment_events(request):
    if not signed_by_paywise(request):
        return JsonResponse({"error": "bad signature"}, status=403)
    event = json.loads(request.body)
    try:
        async with asyncio.timeout(5), httpx.AsyncClient() as client:
            reply = await client.post(
                SHIPMENTS_URL, json={"order": event["order"], "payment": event["id"]}
            )
        if not reply.is_success:
            raise ValueError(f"the warehouse answered {reply.status_code}")
        shipment = reply.json()["shipment"]
    except (httpx.HTTPError, ValueError, KeyError, TimeoutError) as error:
        # Any answer but a 2xx makes Paywise deliver the event again later.
        logger.warning("order %s not shipped yet: %r", event["order"], error)
        return JsonResponse({"error": "the warehouse is unavailable"}, status=503)
    logger.info("order %s paid, shipment %s", event["order"], shipment)
    return JsonResponse({"received": event["id"], "shipment": shipment})
