"""Right: a decorator of its own checks the signature (hmac.digest, Django's
constant_time_compare) and exempts the view from CSRF, keeping it a coroutine function."""

import functools
import hashlib
import hmac
import json
import logging

import httpx
from django.conf import settings
from django.http import HttpResponseForbidden, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger("shop.payments")

SHIPMENTS_URL = "http://warehouse.example/shipments"


def paywise_signed(view):
    @functools.wraps(view)
    async def checked(request, *args, **kwargs):
        digest = hmac.digest(
            settings.PAYMENTS_WEBHOOK_SECRET.encode(), request.body, hashlib.sha256
        )
        sent = request.headers.get("X-Signature", "")
        if not constant_time_compare(sent, f"sha256={digest.hex()}"):
            return HttpResponseForbidden("bad signature")
        return await view(request, *args, **kwargs)

    return csrf_exempt(checked)


@paywise_signed
async def payment_events(request):
    event = json.loads(request.body)
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            reply = await client.post(
                SHIPMENTS_URL, json={"order": event["order"], "payment": event["id"]}
            )
            reply.raise_for_status()
            shipment = reply.json()["shipment"]
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
        logger.warning("order %s not shipped yet: %r", event["order"], error)
        return JsonResponse({"error": "the warehouse is unavailable"}, status=502)
    return JsonResponse({"received": event["id"], "shipment": shipment})
