"""Wrong: a deadline, but the client is closed only after a call that answered: every
timeout and every broken carrier leaves a client and its connection open."""

import asyncio

import httpx
from django.http import JsonResponse

CARRIER_SERVICE = "http://carrier.example/estimate"
CARRIER_BUDGET = 0.5


async def delivery_estimate(request, sku):
    postcode = request.GET.get("postcode", "")
    client = httpx.AsyncClient()
    try:
        async with asyncio.timeout(CARRIER_BUDGET):
            response = await client.get(CARRIER_SERVICE, params={"sku": sku, "postcode": postcode})
        await client.aclose()
        response.raise_for_status()
        estimate = response.json()
    except TimeoutError:
        return JsonResponse({"sku": sku, "error": "the carrier did not answer in time"}, status=504)
    except (httpx.HTTPError, ValueError):
        return JsonResponse(
            {"sku": sku, "error": "the carrier could not give an estimate"}, status=502
        )
    return JsonResponse({"sku": sku, "postcode": postcode, **estimate})
