"""Wrong: a deadline of 0.75 s "to be safe at peak times": the page waits half as long again
as its half-second budget, and a carrier answering at 0.7 s is taken as on time."""

import asyncio

import httpx
from django.http import JsonResponse

CARRIER_SERVICE = "http://carrier.example/estimate"
# Half a second is tight at peak times: give the carrier a little more.
CARRIER_BUDGET = 0.75


async def delivery_estimate(request, sku):
    postcode = request.GET.get("postcode", "")
    try:
        async with httpx.AsyncClient() as client:
            async with asyncio.timeout(CARRIER_BUDGET):
                response = await client.get(
                    CARRIER_SERVICE, params={"sku": sku, "postcode": postcode}
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
