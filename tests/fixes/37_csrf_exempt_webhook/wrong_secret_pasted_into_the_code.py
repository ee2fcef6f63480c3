"""Wrong: the signing secret pasted into the view as it reads on one machine: a real project
keeps it out of the code (in the environment, read through settings), and rotates it; here
each run has a new one, so every genuine delivery is refused."""

import hashlib
import hmac
import json
import logging

import httpx
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger("shop.payments")

SHIPMENTS_URL = "http://warehouse.example/shipments"


def signed_by_paywise(request):
    """Whether X-Signature is Paywise's: the HMAC-SHA256 of the body's bytes, exactly as
    they came, under the secret only Paywise and the shop know."""
    secret = b"whsec_7Qm2vXc9LpR4tY8nB3kD6fH1jZ5wE0sA"
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
        async with httpx.AsyncClient(timeout=5) as client:
            reply = await client.post(
                SHIPMENTS_URL, json={"order": event["order"], "payment": event["id"]}
            )
            reply.raise_for_status()
            shipment = reply.json()["shipment"]
    except (httpx.HTTPError, ValueError, KeyError) as error:
        # Any answer but a 2xx makes Paywise deliver the event again later.
        logger.warning("order %s not shipped yet: %r", event["order"], error)
        return JsonResponse({"error": "the warehouse is unavailable"}, status=503)
    logger.info("order %s paid, shipment %s", event["order"], shipment)
    return JsonResponse({"received": event["id"], "shipment": shipment})
