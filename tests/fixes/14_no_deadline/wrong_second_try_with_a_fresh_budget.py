"""Wrong: a carrier that misses its half-second gets a second try with a fresh half-second:
the page waits up to twice its budget, and the silent carrier is asked twice."""

import asyncio

import httpx
from django.http import JsonResponse

CARRIER_SERVICE = "http://carrier.example/estimate"
CARRIER_BUDGET = 0.5
TRIES = 2


async def delivery_estimate(request, sku):
    postcode = request.GET.get("postcode", "")
    try:
        async with httpx.AsyncClient() as client:
            for attempt in range(1, TRIES + 1):
                try:
                    async with asyncio.timeout(CARRIER_BUDGET):
                        response = await client.get(
                            CARRIER_SERVICE, params={"sku": sku, "postcode": postcode}
                        )
                    break
                except TimeoutError:
                    if attempt == TRIES:
                        raise
        response.raise_for_status()
        estimate = response.json()
    except TimeoutError:
        return JsonResponse({"sku": sku, "error": "the carrier did not answer in time"}, status=504)
    except (httpx.HTTPError, ValueError):
        return JsonResponse(
            {"sku": sku, "error": "the carrier could not give an estimate"}, status=502
        )
    return JsonResponse({"sku": sku, "postcode": postcode, **estimate})
