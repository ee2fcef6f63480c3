"""Wrong: a deadline that cancels the call, but CancelledError is caught with TimeoutError:
when the customer leaves, the view carries on and answers a 504 to nobody."""

import asyncio

import httpx
from django.http import JsonResponse

CARRIER_SERVICE = "http://carrier.example/estimate"


async def delivery_estimate(request, sku):
    postcode = request.GET.get("postcode", "")
    try:
        async with httpx.AsyncClient() as client, asyncio.timeout(0.5):
            response = await client.get(CARRIER_SERVICE, params={"sku": sku, "postcode": postcode})
        response.raise_for_status()
        estimate = response.json()
    except (TimeoutError, asyncio.CancelledError):
        return JsonResponse({"sku": sku, "error": "the carrier did not answer in time"}, status=504)
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "no estimate"}, status=502)
    return JsonResponse({"sku": sku, "postcode": postcode, **estimate})
