"""Right: the deadline as a point in time (asyncio.timeout_at), taken when the request
arrives, and a carrier's own timeouts reported as a 504 too."""

import asyncio

import httpx
from django.http import JsonResponse

CARRIER_SERVICE = "http://carrier.example/estimate"


async def delivery_estimate(request, sku):
    postcode = request.GET.get("postcode", "")
    deadline = asyncio.get_running_loop().time() + 0.5
    try:
        async with asyncio.timeout_at(deadline), httpx.AsyncClient() as client:
            response = await client.get(CARRIER_SERVICE, params={"sku": sku, "postcode": postcode})
            response.raise_for_status()
            estimate = response.json()
    except (TimeoutError, httpx.TimeoutException):
        return JsonResponse({"sku": sku, "error": "the carrier did not answer in time"}, status=504)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "no estimate"}, status=502)
    return JsonResponse({"sku": sku, "postcode": postcode, **estimate})
