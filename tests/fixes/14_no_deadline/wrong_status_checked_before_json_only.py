"""Wrong: deadline and transport errors handled, a 5xx answered 503, but a 200 whose body is
not valid JSON still crashes the page."""

import asyncio

import httpx
from django.http import JsonResponse

CARRIER_SERVICE = "http://carrier.example/estimate"
CARRIER_BUDGET = 0.5


async def delivery_estimate(request, sku):
    postcode = request.GET.get("postcode", "")
    try:
        async with httpx.AsyncClient() as client:
            async with asyncio.timeout(CARRIER_BUDGET):
                response = await client.get(
                    CARRIER_SERVICE, params={"sku": sku, "postcode": postcode}
                )
    except (TimeoutError, httpx.TimeoutException):
        return JsonResponse({"sku": sku, "error": "the carrier did not answer in time"}, status=504)
    except httpx.TransportError:
        return JsonResponse({"sku": sku, "error": "the carrier is unreachable"}, status=502)
    if response.status_code >= 500:
        return JsonResponse({"sku": sku, "error": "the carrier is down"}, status=503)
    return JsonResponse({"sku": sku, "postcode": postcode, **response.json()})
