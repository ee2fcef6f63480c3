"""Wrong: shields the call from the deadline "so the connection closes cleanly": the 504 comes in time, but the call to the carrier is left waiting."""

import asyncio

import httpx
from django.http import JsonResponse

CARRIER_SERVICE = "http://carrier.example/estimate"
CARRIER_BUDGET = 0.5


async def ask_carrier(sku, postcode):
    async with httpx.AsyncClient() as client:
        return await client.get(CARRIER_SERVICE, params={"sku": sku, "postcode": postcode})


async def delivery_estimate(request, sku):
    postcode = request.GET.get("postcode", "")
    try:
        response = await asyncio.wait_for(
            asyncio.shield(ask_carrier(sku, postcode)), CARRIER_BUDGET
        )
        response.raise_for_status()
        estimate = response.json()
    except TimeoutError:
        return JsonResponse({"sku": sku, "error": "the carrier did not answer in time"}, status=504)
    except (httpx.HTTPError, ValueError):
        return JsonResponse(
            {"sku": sku, "error": "the carrier could not give an estimate"}, status=502
        )
    return JsonResponse({"sku": sku, "postcode": postcode, **estimate})
