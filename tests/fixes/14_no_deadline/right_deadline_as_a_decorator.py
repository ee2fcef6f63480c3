"""Right: a small decorator gives the view a half-second deadline; a view that runs out of time answers 504, and a customer leaving still cancels it."""

import asyncio
import functools

import httpx
from django.http import JsonResponse

CARRIER_SERVICE = "http://carrier.example/estimate"


def deadline(seconds):
    def decorate(view):
        @functools.wraps(view)
        async def timed(request, *args, **kwargs):
            try:
                async with asyncio.timeout(seconds):
                    return await view(request, *args, **kwargs)
            except TimeoutError:
                return JsonResponse({"error": "the carrier did not answer in time"}, status=504)

        return timed

    return decorate


@deadline(0.5)
async def delivery_estimate(request, sku):
    postcode = request.GET.get("postcode", "")
    try:
        async with httpx.AsyncClient() as client:
            response = await client.get(CARRIER_SERVICE, params={"sku": sku, "postcode": postcode})
        response.raise_for_status()
        estimate = response.json()
    except (httpx.HTTPError, ValueError):
        return JsonResponse(
            {"sku": sku, "error": "the carrier could not give an estimate"}, status=502
        )
    return JsonResponse({"sku": sku, "postcode": postcode, **estimate})
