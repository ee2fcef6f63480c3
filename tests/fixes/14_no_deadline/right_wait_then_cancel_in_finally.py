"""Right: the call in a task, asyncio.wait with the budget as its timeout, and a finally that
cancels the task whatever ends the wait (the budget, or the customer leaving)."""

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
    task = asyncio.create_task(ask_carrier(sku, postcode))
    try:
        done, _ = await asyncio.wait({task}, timeout=0.5)
    finally:
        if not task.done():
            task.cancel()
    if not done:
        return JsonResponse({"sku": sku, "error": "the carrier did not answer in time"}, status=504)
    try:
        estimate = task.result()
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "no estimate"}, status=502)
    return JsonResponse({"sku": sku, "postcode": postcode, **estimate})
