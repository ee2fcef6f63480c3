"""Right: the whole fetch (client, call, status, JSON) is a helper awaited under
asyncio.wait_for; its own exception says "no usable estimate", answered 503."""

import asyncio

import httpx
from django.http import JsonResponse

CARRIER_SERVICE = "http://carrier.example/estimate"
CARRIER_BUDGET = 0.5


class CarrierUnavailable(Exception):
    """The carrier gave no usable estimate."""


async def fetch_estimate(sku, postcode):
    async with httpx.AsyncClient() as client:
        response = await client.get(CARRIER_SERVICE, params={"sku": sku, "postcode": postcode})
    try:
        response.raise_for_status()
        return response.json()
    except (httpx.HTTPStatusError, ValueError) as error:
        raise CarrierUnavailable from error


async def delivery_estimate(request, sku):
    postcode = request.GET.get("postcode", "")
    try:
        # The whole fetch, client included, gets the page's budget.
        estimate = await asyncio.wait_for(fetch_estimate(sku, postcode), CARRIER_BUDGET)
    except TimeoutError:
        return JsonResponse({"sku": sku, "error": "the carrier did not answer in time"}, status=504)
    except (CarrierUnavailable, httpx.TransportError):
        return JsonResponse({"sku": sku, "error": "no estimate from the carrier"}, status=503)
    return JsonResponse({"sku": sku, "postcode": postcode, **estimate})
