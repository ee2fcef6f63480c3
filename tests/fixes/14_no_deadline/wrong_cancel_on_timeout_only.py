"""Wrong: a deadline that cancels the call when it passes, but only then: when the customer
leaves first, Django cancels the view while it waits in asyncio.wait, and the call, in a
task of its own, goes on waiting for the carrier with nobody to hear the answer."""

import asyncio

import httpx
from django.http import JsonResponse

CARRIER_SERVICE = "http://carrier.example/estimate"


async def ask_carrier(sku, postcode):
    async with httpx.AsyncClient(timeout=None) as client:
        response = await client.get(CARRIER_SERVICE, params={"sku": sku, "postcode": postcode})
    response.raise_for_status()
    return response.json()


async def delivery_estimate(request, sku):
    postcode = request.GET.get("postcode", "")
    call = asyncio.create_task(ask_carrier(sku, postcode))
    done, _ = await asyncio.wait({call}, timeout=0.5)
    if not done:
        call.cancel()
        await asyncio.wait({call})
        return JsonResponse({"sku": sku, "error": "carrier timeout"}, status=504)
    if call.exception() is not None:
        return JsonResponse({"sku": sku, "error": "carrier unavailable"}, status=502)
    return JsonResponse({"sku": sku, "postcode": postcode, **call.result()})
