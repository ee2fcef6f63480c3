import asyncio

import httpx
from django.http import JsonResponse

CARRIER_SERVICE = "http://carrier.example/estimate"
# How long the product page can wait for a delivery estimate, in seconds.
CARRIER_BUDGET = 0.5


async def delivery_estimate(request, sku):
    postcode = request.GET.get("postcode", "")
    try:
        async with httpx.AsyncClient() as client:
            # Every call to another service needs a deadline: without one, a carrier that
            # never answers keeps the page (and the customer) waiting for ever. When the
            # deadline passes, asyncio.timeout cancels the call, so nothing is left waiting
            # for the carrier, and the page hears 504 within its budget.
            async with asyncio.timeout(CARRIER_BUDGET):
                response = await client.get(
                    CARRIER_SERVICE, params={"sku": sku, "postcode": postcode}
                )
        response.raise_for_status()
        estimate = response.json()
    except TimeoutError:
        return JsonResponse({"sku": sku, "error": "the carrier did not answer in time"}, status=504)
    except (httpx.HTTPError, ValueError):
        # A broken carrier: the page shows "delivery date unavailable", not an error page.
        return JsonResponse(
            {"sku": sku, "error": "the carrier could not give an estimate"}, status=502
        )
    return JsonResponse({"sku": sku, "postcode": postcode, **estimate})
