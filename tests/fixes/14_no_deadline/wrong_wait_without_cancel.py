"""Wrong: waits half a second for the call with asyncio.wait and answers 504, but never
cancels the call; every timed-out request leaves a call waiting on the carrier for ever."""

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
        return JsonResponse({"sku": sku, "error": "carrier timeout"}, status=504)
    if call.exception() is not None:
        return JsonResponse({"sku": sku, "error": "carrier unavailable"}, status=502)
    return JsonResponse({"sku": sku, "postcode": postcode, **call.result()})
