"""Wrong: waits half a second for the call with asyncio.wait and answers 504, but never
cancels the call; every timed-out request leaves a call waiting on the carrier for ever."""

import asyncio

import httpx
from django.http import JsonResponse

CARRIER_SERVICE = "http://carrier.example/estimate"


async def delivery_estimate(request, sku):
    postcode = request.GET.get("postcode", "")
    async with httpx.AsyncClient(timeout=None) as client:
        call = asyncio.create_task(
            client.get(CARRIER_SERVICE, params={"sku": sku, "postcode": postcode})
        )
        done, _ = await asyncio.wait({call}, timeout=0.5)
    if not done:
        return JsonResponse({"sku": sku, "error": "carrier timeout"}, status=504)
    response = call.result()
    response.raise_for_status()
    return JsonResponse({"sku": sku, "postcode": postcode, **response.json()})
