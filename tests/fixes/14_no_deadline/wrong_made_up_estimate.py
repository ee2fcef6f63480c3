"""Wrong: a half-second deadline, but when it passes the page gets a usual-looking estimate
(three to five days from today) instead of an error: a delivery promise nobody made."""

import asyncio
import datetime

import httpx
from django.http import JsonResponse

CARRIER_SERVICE = "http://carrier.example/estimate"


async def delivery_estimate(request, sku):
    postcode = request.GET.get("postcode", "")
    try:
        async with httpx.AsyncClient() as client:
            async with asyncio.timeout(0.5):
                response = await client.get(
                    CARRIER_SERVICE, params={"sku": sku, "postcode": postcode}
                )
        response.raise_for_status()
        estimate = response.json()
    except TimeoutError:
        today = datetime.date.today()
        estimate = {
            "carrier": "our usual carrier",
            "earliest": str(today + datetime.timedelta(days=3)),
            "latest": str(today + datetime.timedelta(days=5)),
        }
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"sku": sku, "error": "carrier unavailable"}, status=502)
    return JsonResponse({"sku": sku, "postcode": postcode, **estimate})
