"""Wrong: exempts the view from CSRF checks and checks nothing in their place: anyone who
finds the URL can post a payment that never happened, and the order is shipped."""

import json
import logging

import httpx
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger("shop.payments")

SHIPMENTS_URL = "http://warehouse.example/shipments"


@csrf_exempt
async def payment_events(request):
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
