"""Right: bounds the call with asyncio.wait_for, which cancels it when the time is up, and
answers 504; any failure of the carrier is a 503, as "unavailable" as a timeout is."""

import asyncio

import httpx
from django.http import JsonResponse

CARRIER_SERVICE = "http://carrier.example/estimate"


async def delivery_estimate(request, sku):
    postcode = request.GET.get("postcode", "")
    async with httpx.AsyncClient(timeout=None) as client:
        try:
            response = await asyncio.wait_for(
                client.get(CARRIER_SERVICE, params={"sku": sku, "postcode": postcode}), 0.5
            )
            response.raise_for_status()
            estimate = response.json()
        except TimeoutError:
            return JsonResponse({"error": "no estimate in time"}, status=504)
        except Exception:
            return JsonResponse({"error": "no estimate"}, status=503)
    return JsonResponse({"sku": sku, "postcode": postcode, **estimate})
