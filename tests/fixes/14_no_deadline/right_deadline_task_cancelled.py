"""Right: runs the call as a task, waits for it at most half a second with asyncio.wait, and
cancels it when the deadline passes or when the view itself is cancelled (the customer
left), so the call never outlives the request."""

import asyncio

import httpx
from django.http import JsonResponse

CARRIER_SERVICE = "http://carrier.example/estimate"


async def ask_carrier(sku, postcode):
    async with httpx.AsyncClient() as client:
        response = await client.get(CARRIER_SERVICE, params={"sku": sku, "postcode": postcode})
    response.raise_for_status()
    return response.json()


async def delivery_estimate(request, sku):
    postcode = request.GET.get("postcode", "")
    call = asyncio.create_task(ask_carrier(sku, postcode))
    try:
        done, _ = await asyncio.wait({call}, timeout=0.5)
    finally:
        if not call.done():
            call.cancel()
            await asyncio.wait({call})
    if not done:
        return JsonResponse({"sku": sku, "error": "carrier timeout"}, status=504)
    if call.exception() is not None:
        return JsonResponse({"sku": sku, "error": "carrier unavailable"}, status=502)
    return JsonResponse({"sku": sku, "postcode": postcode, **call.result()})
